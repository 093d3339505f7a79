export { RunView, runViewOf, type ElementCounts, type FlowGraph, type FlowMove, type Interval } from './runView.js';
export { durationStats, elementStats, hotSpots, type DurationStats, type ElementStats } from './stats.js';
export { variablesAt, type VariablesAt } from './variables.js';
