/** A user task's assignment and form: `zeebe:assignmentDefinition`, `zeebe:formDefinition`, `tessera:form`. */
import type { UserTaskSpec, Value } from './model.js';
import { extension, extensions, idOf, text, type ModdleNode } from './moddleNode.js';
import { compileValue, type Report } from './feel.js';
import { compileFormFields } from './formFields.js';

/** Camunda Modeler links an embedded form as `formKey="camunda-forms:bpmn:<userTaskForm id>"`. */
const EMBEDDED_FORM = 'camunda-forms:bpmn:';

/** Compiles a user task; `process` holds the `zeebe:userTaskForm` bodies embedded forms point to. */
export function compileUserTask(node: ModdleNode, process: ModdleNode, report: Report): UserTaskSpec {
  const id = idOf(node);
  const assignment = extension(node, 'zeebe:AssignmentDefinition');
  const value = (property: string): Value | undefined => {
    const source = assignment && text(assignment, property);
    return source === undefined ? undefined : compileValue(source, property, id, report);
  };
  const assignee = value('assignee');
  const candidateGroups = value('candidateGroups');
  const candidateUsers = value('candidateUsers');
  const { formSchema, formId } = compileFormDefinition(node, process, report);
  return {
    ...(assignee === undefined ? {} : { assignee }),
    ...(candidateGroups === undefined ? {} : { candidateGroups }),
    ...(candidateUsers === undefined ? {} : { candidateUsers }),
    formFields: compileFormFields(node, report),
    ...(formSchema === undefined ? {} : { formSchema }),
    ...(formId === undefined ? {} : { formId })
  };
}

function compileFormDefinition(node: ModdleNode, process: ModdleNode, report: Report): { formSchema?: string; formId?: string } {
  const id = idOf(node);
  const definition = extension(node, 'zeebe:FormDefinition');
  if (!definition) return {};
  const formId = text(definition, 'formId');
  if (formId !== undefined) return { formId };
  const formKey = text(definition, 'formKey');
  if (formKey === undefined) return {};
  if (!formKey.startsWith(EMBEDDED_FORM)) return { formId: formKey };
  const formRef = formKey.slice(EMBEDDED_FORM.length);
  const form = extensions(process, 'zeebe:UserTaskForm').find((candidate) => idOf(candidate) === formRef);
  const body = form && text(form, 'body');
  if (body === undefined) {
    report(id, `zeebe:formDefinition refers to form '${formRef}', which the process does not define`);
    return {};
  }
  try {
    JSON.parse(body);
  } catch {
    report(id, `zeebe:userTaskForm '${formRef}' is not valid JSON`);
  }
  return { formSchema: body };
}

