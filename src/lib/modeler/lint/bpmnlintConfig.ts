/**
 * bpmnlint's rules bundled for the browser: bpmnlint resolves rules by name at run time (the
 * CLI reads them from node_modules), so bpmn-js-bpmnlint needs `{ config, resolver }` with the
 * rule modules already imported. This is what bpmnlint-pack-config generates, written by hand
 * for the recommended set.
 */
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process';
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event';
import fakeJoin from 'bpmnlint/rules/fake-join';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';

type Level = 'error' | 'warn' | 'info' | 'off';

/** Rule name → [level, rule factory]. Our engine runs inclusive gateways, so that rule stays off. */
const RULES: Record<string, [Level, unknown]> = {
  'ad-hoc-sub-process': ['error', adHocSubProcess],
  'conditional-flows': ['error', conditionalFlows],
  'end-event-required': ['error', endEventRequired],
  'event-based-gateway': ['error', eventBasedGateway],
  'event-sub-process-typed-start-event': ['error', eventSubProcessTypedStartEvent],
  'fake-join': ['warn', fakeJoin],
  'label-required': ['warn', labelRequired],
  'link-event': ['error', linkEvent],
  'no-complex-gateway': ['error', noComplexGateway],
  'no-disconnected': ['error', noDisconnected],
  'no-duplicate-sequence-flows': ['error', noDuplicateSequenceFlows],
  'no-gateway-join-fork': ['warn', noGatewayJoinFork],
  'no-implicit-end': ['warn', noImplicitEnd],
  'no-implicit-split': ['warn', noImplicitSplit],
  'no-implicit-start': ['warn', noImplicitStart],
  'no-overlapping-elements': ['warn', noOverlappingElements],
  'single-blank-start-event': ['error', singleBlankStartEvent],
  'single-event-definition': ['error', singleEventDefinition],
  'start-event-required': ['error', startEventRequired],
  'sub-process-blank-start-event': ['error', subProcessBlankStartEvent],
  'superfluous-gateway': ['warn', superfluousGateway],
  'superfluous-termination': ['warn', superfluousTermination]
};

export const bpmnlintConfig = {
  config: { rules: Object.fromEntries(Object.entries(RULES).map(([name, [level]]) => [name, level])) },
  resolver: {
    resolveRule(pkg: string, ruleName: string): unknown {
      const rule = pkg === 'bpmnlint' ? RULES[ruleName]?.[1] : undefined;
      if (rule === undefined) throw new Error(`unknown lint rule ${pkg}/${ruleName}`);
      return rule;
    },
    resolveConfig(pkg: string, configName: string): never {
      throw new Error(`no bundled lint config ${pkg}/${configName}`);
    }
  }
};
