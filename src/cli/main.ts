#!/usr/bin/env node
// ddpg-wasm command line: dispatches to the subcommands. Usage errors exit with code 2, printed after the
// usage text so that the last line a user reads is what was wrong.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evalCommand, EVAL_HELP } from './eval.js';
import { exportCommand, EXPORT_HELP } from './export.js';
import { gradcheckCommand, GRADCHECK_HELP } from './gradcheck.js';
import { reportCommand, REPORT_HELP } from './report.js';
import { sweepCommand, SWEEP_HELP } from './sweep.js';
import { DdpgInputError } from '../errors.js';
import { UsageError, withFlagNames } from './flags.js';
import { trainCommand, TRAIN_HELP } from './train.js';
import { version } from './version.js';

export { version };

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  train: { run: trainCommand, help: TRAIN_HELP },
  eval: { run: evalCommand, help: EVAL_HELP },
  export: { run: exportCommand, help: EXPORT_HELP },
  gradcheck: { run: gradcheckCommand, help: GRADCHECK_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  sweep: { run: sweepCommand, help: SWEEP_HELP },
};

const USAGE = `Usage: ddpg-wasm <command> [options]
Commands:
  train   train DDPG or TD3 on an environment (ddpg-wasm train --help)
  eval    evaluate a checkpoint's deterministic policy (ddpg-wasm eval --help)
  export  write a checkpoint's actor for deployment: a policy file, ONNX or a standalone .wasm (ddpg-wasm export --help)
  gradcheck  check an MLP's backward pass against finite differences (ddpg-wasm gradcheck --help)
  report  aggregate run folders over seeds: mean ± std, median, IQM with bootstrap CIs, curves (ddpg-wasm report --help)
  sweep   train over many seeds and a grid of hyper-parameters, on every core, resumable, shardable (ddpg-wasm sweep --help)
  --version  print the version`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') { console.log(`ddpg-wasm ${version()}`); return 0; }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`${USAGE}\n\nddpg-wasm: unknown command '${name}'`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${command.help}\n\nddpg-wasm ${name}: ${err.message}`);
      return 2;
    }
    if (e instanceof DdpgInputError) { // a bad hyper-parameter value given as a flag
      console.error(`${command.help}\n\nddpg-wasm ${name}: ${withFlagNames(err.message)}`);
      return 2;
    }
    console.error(`ddpg-wasm ${name}: ${err.message}`);
    return 1;
  }
}

// Run when this file is the program (node dist/cli/main.js, or the npm bin link to it), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
