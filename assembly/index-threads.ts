// The threaded engine (build/engine-threads.wasm): the engine's ABI (assembly/index.ts) compiled with
// threads and an imported shared memory, plus what src/engine/threads.ts calls to run it on N threads —
// threadsInit on the calling thread, threadLoop in each worker.
export * from './index';
export { threadsInit } from './thread-sync';
export { threadLoop } from './thread-loop';
