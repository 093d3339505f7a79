export { TaskTypeRegistry, runTask, type TaskContext, type TaskField, type TaskType } from './TaskTypeRegistry.js';
export { commandTaskType, resultOf, type CommandTaskOptions } from './commandTaskType.js';
export { httpTaskType, type HttpTaskOptions } from './httpTaskType.js';
export { scriptTaskType, type SandboxedScript } from './scriptTaskType.js';
