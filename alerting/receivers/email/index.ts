export { emailIntegration } from './integration.js';
export type { EmailOptions } from './integration.js';
export { DEFAULT_HTML, DEFAULT_SUBJECT, DEFAULT_TEXT, renderEmail } from './message.js';
export type { EmailMessage } from './message.js';
export { smtpError } from './errors.js';
export { newMessageId, threadId } from './threading.js';
