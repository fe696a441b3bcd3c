export { Wrapper } from './wrapper.js';
export { TimeLimit } from './time-limit.js';
export { OrderEnforcing } from './order-enforcing.js';
export { ActionCheck } from './action-check.js';
