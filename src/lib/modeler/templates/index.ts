/** The starter templates of the gallery, each runnable as it is (tests/templates.test.ts). */
import buildPipeline from './build-pipeline.bpmn?raw';
import etlPipeline from './etl-pipeline.bpmn?raw';
import expenseApproval from './expense-approval.bpmn?raw';
import mlSweep from './ml-sweep.bpmn?raw';

export interface Template {
  id: string;
  name: string;
  summary: string;
  xml: string;
}

export const templates: readonly Template[] = [
  {
    id: 'build-pipeline',
    name: 'Build pipeline',
    summary: 'CLI service tasks, parallel test jobs and a failure path caught by an error boundary.',
    xml: buildPipeline
  },
  {
    id: 'expense-approval',
    name: 'Expense approval',
    summary: 'A form, a decision on the amount, a manager approval with an escalation timer.',
    xml: expenseApproval
  },
  {
    id: 'etl-pipeline',
    name: 'ETL pipeline',
    summary: 'Parallel extracts with retries, a join, transform and load.',
    xml: etlPipeline
  },
  {
    id: 'ml-sweep',
    name: 'ML training sweep',
    summary: 'Multi-instance training over hyper-parameters, then pick the best with FEEL.',
    xml: mlSweep
  }
];
