// `kubectl exec` over the Kubernetes WebSocket stream protocol (v5/v4.channel.k8s.io): each
// binary message is a channel byte (1 stdout, 2 stderr, 3 status) then data. Commands are canned:
// the sandbox has no real containers, so only what the runbook runs is simulated.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import type {ObjectStore} from './store.js';
import {statusBody} from './types.js';
import {acceptUpgrade, frame, readFrames, rejectUpgrade} from './websocket.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

interface Result {
	stdout: string;
	stderr?: string;
	exitCode: number;
}

/** The commands the guide runs inside the overlord container, and a few shell basics. */
function simulate(command: string[], pod: any, containerName: string): Result {
	const [bin, ...args] = command;
	const joined = command.join(' ');
	const container = (pod.spec?.containers ?? []).find((c: any) => c.name === containerName);
	if (bin === 'alembic' && args[0] === 'current') {
		return {
			stdout: 'INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\n4c1f9e2ab7d3 (head)\n',
			exitCode: 0,
		};
	}
	if ((bin === 'python' || bin === 'python3') && args[0] === '-c') {
		if (/FROM trades/i.test(args[1] ?? '')) return {stdout: 'Trades table accessible: 18342\n', exitCode: 0};
		return {stdout: '', exitCode: 0};
	}
	if (bin === 'hostname') return {stdout: `${pod.metadata.name}\n`, exitCode: 0};
	if (bin === 'env' || bin === 'printenv') {
		const env = [`HOSTNAME=${pod.metadata.name}`, ...(container?.env ?? []).map((e: any) => `${e.name}=${e.value ?? ''}`)];
		return {stdout: `${env.join('\n')}\n`, exitCode: 0};
	}
	if (bin === 'true') return {stdout: '', exitCode: 0};
	if (bin === 'false') return {stdout: '', exitCode: 1};
	if (bin === 'echo') return {stdout: `${args.join(' ')}\n`, exitCode: 0};
	return {stdout: '', stderr: `sandbox: "${joined}" is not simulated in this container\n`, exitCode: 127};
}

function message(channel: number, data: string | Buffer): Buffer {
	return frame(0x2, Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
}

export function handleExecUpgrade(req: IncomingMessage, socket: Duplex, store: ObjectStore, namespace: string, podName: string, query: URLSearchParams): void {
	const pod = store.get('pods', namespace, podName);
	if (!pod) {
		rejectUpgrade(socket, 404, 'Not Found', statusBody(404, 'NotFound', `pods "${podName}" not found`));
		return;
	}
	const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
	const container = query.get('container') || names[0]!;
	const status = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === container);
	if (!names.includes(container)) {
		rejectUpgrade(socket, 400, 'Bad Request', statusBody(400, 'BadRequest', `container ${container} is not valid for pod ${podName}`));
		return;
	}
	if (!status?.state?.running) {
		rejectUpgrade(socket, 400, 'Bad Request', statusBody(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`));
		return;
	}
	if (!String(req.headers.upgrade ?? '').toLowerCase().includes('websocket')) {
		// SPDY (kubectl's fallback) is not spoken here.
		rejectUpgrade(socket, 400, 'Bad Request', statusBody(400, 'BadRequest', 'the sandbox supports exec over WebSocket (v5.channel.k8s.io) only'));
		return;
	}
	const protocol = acceptUpgrade(req, socket, PROTOCOLS);
	if (!protocol) {
		rejectUpgrade(socket, 400, 'Bad Request', statusBody(400, 'BadRequest', `supported subprotocols: ${PROTOCOLS.join(', ')}`));
		return;
	}
	readFrames(socket, () => {
		// stdin and resize messages are accepted and ignored: the canned commands read nothing.
	});
	socket.on('error', () => socket.destroy());
	const result = simulate(query.getAll('command'), pod, container);
	const tty = query.get('tty') === 'true';
	if (result.stdout) socket.write(message(1, result.stdout));
	if (result.stderr) socket.write(message(tty ? 1 : 2, result.stderr));
	const exitStatus =
		result.exitCode === 0
			? {metadata: {}, status: 'Success'}
			: {
					metadata: {},
					status: 'Failure',
					message: `command terminated with non-zero exit code: error executing command [${query.getAll('command').join(' ')}], exit code ${result.exitCode}`,
					reason: 'NonZeroExitCode',
					details: {causes: [{reason: 'ExitCode', message: String(result.exitCode)}]},
				};
	socket.write(message(3, JSON.stringify(exitStatus)));
	const closeCode = Buffer.alloc(2);
	closeCode.writeUInt16BE(1000);
	socket.end(frame(0x8, closeCode));
}
