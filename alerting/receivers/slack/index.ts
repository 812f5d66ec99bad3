// The Slack receiver: an Integration over Slack's Web API, and its Block Kit message builder.
export { slackIntegration } from './integration.js';
export type { SlackIntegrationOptions } from './integration.js';
export { buildMessage, silenceURL } from './message.js';
export type { MessageOptions, SlackMessage } from './message.js';
export { SLACK_LIMITS } from './blocks.js';
export type { Block, ContextBlock, HeaderBlock, SectionBlock } from './blocks.js';
export { describeChange } from './changes.js';
export { decodeState, encodeState } from './state.js';
export type { SlackState } from './state.js';
export { MESSAGE_GONE_ERRORS, RETRYABLE_PLATFORM_ERRORS, toNotifyError } from './errors.js';
export { apiBase, DEFAULT_API_URL } from './api.js';
