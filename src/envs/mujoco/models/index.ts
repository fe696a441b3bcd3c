// The tasks' MJCF models as strings (no file system needed in Node or in a browser).
export { INVERTED_PENDULUM_XML } from './inverted-pendulum.js';
export { INVERTED_DOUBLE_PENDULUM_XML } from './inverted-double-pendulum.js';
export { REACHER_XML } from './reacher.js';
export { HALF_CHEETAH_XML } from './half-cheetah.js';
export { HOPPER_XML } from './hopper.js';
export { WALKER2D_XML } from './walker2d.js';
export { SWIMMER_XML } from './swimmer.js';
