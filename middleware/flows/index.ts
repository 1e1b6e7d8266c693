/**
 * Every flow the middleware runs. Adding a flow: a folder under middleware/flows/ exporting a FlowDefinition
 * (registry.ts), and one line here. `startMiddleware` composes this list.
 */
import type { AnyFlowDefinition } from './registry';
import { refundsFlow } from './refunds';
import { ordersFlow } from './orders';

export const FLOWS: readonly AnyFlowDefinition[] = [refundsFlow, ordersFlow];

export { channelSchemasFor, composeFlows, checkFlowSettings, defineFlow, FlowCompositionError } from './registry';
export type { AnyFlowDefinition, ComposedFlow, ComposedFlows, ConsoleView, FlowContext, FlowDefinition, FlowParts, FlowQueue, FlowSchedule, FlowSettings } from './registry';
