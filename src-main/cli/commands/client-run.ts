import { createClient } from '../../client/client.js';
import { CLIENT_OPTIONS_HELP, describeEvent, parseClientOptions, withClientErrors } from '../client-options.js';
import type { CliIo, Command } from '../cli-kit.js';

const HELP = `Usage: quorum client run --product P (--host H[:PORT]... | --domain D... [--dns-server ADDR[:PORT]])
                         [--state FILE] [--machine-name NAME] [--json]

The client agent: activates, then renews every renewal interval (7 days by default) and, while
not activated or after a failed renewal, retries every activation interval (2 hours by default);
the host's intervals replace the defaults once it has answered. Logs one line per step (JSON
lines with --json). Stops cleanly on SIGINT or SIGTERM.

${CLIENT_OPTIONS_HELP}

Example:
  quorum client run --product desktop --domain office.test`;

export const clientRun: Command = {
  path: ['client', 'run'],
  summary: 'the client agent: activation, renewals and retries until stopped',
  help: HELP,
  run: (args, io) => withClientErrors(args, io, () => runAgent(args, io)),
};

async function runAgent(args: string[], io: CliIo): Promise<number> {
  const { options, json } = parseClientOptions(args);
  const stamp = (): string => new Date().toISOString();
  const client = createClient({
    ...options,
    onEvent: (e) => {
      if (json) io.out(JSON.stringify({ time: stamp(), ...e }));
      else {
        const line = describeEvent(e);
        if (line) io.out(`${stamp()} ${line}`);
      }
    },
  });
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await client.run();
  if (!json) io.out(`${stamp()} client agent started for ${client.product.name}; state in ${options.stateFile}`);
  const signal = await stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await client.stop();
  if (!json) io.out(`${stamp()} stopped (${signal})`);
  return 0;
}
