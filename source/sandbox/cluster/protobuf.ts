// The few protobuf request bodies kubectl's typed clients send (client-go asks for protobuf for
// built-in types): `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}, raw being the
// object's message. Read into the JSON object the server would have decoded, for the kinds whose
// typed `kubectl create <kind>` a runbook uses (namespace, configmap) and the access reviews of
// `kubectl auth can-i`. Field numbers are those of k8s.io/api's generated.proto files.
import {ApiError, type KubeObject} from './types.js';

type Value = Buffer | number;
export type Fields = Map<number, Value[]>;

const MAGIC = Buffer.from('k8s\0');

export function isKubeProtobuf(body: Buffer): boolean {
	return body.subarray(0, 4).equals(MAGIC);
}

/** Every field of a message, by number, in order (repeated fields and map entries keep all). */
export function protoFields(buf: Buffer): Fields {
	const fields: Fields = new Map();
	let i = 0;
	const varint = () => {
		let value = 0;
		for (let shift = 0; ; shift += 7) {
			if (i >= buf.length) throw new ApiError(400, 'BadRequest', 'the body of the request could not be decoded: truncated protobuf');
			const byte = buf[i++]!;
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) return value;
		}
	};
	const add = (n: number, v: Value) => (fields.get(n) ?? fields.set(n, []).get(n)!).push(v);
	while (i < buf.length) {
		const tag = varint();
		const wire = tag % 8;
		const n = Math.floor(tag / 8);
		if (wire === 0) add(n, varint());
		else if (wire === 2) {
			const length = varint();
			add(n, buf.subarray(i, (i += length)));
		} else if (wire === 1 || wire === 5) i += wire === 1 ? 8 : 4;
		else throw new ApiError(400, 'BadRequest', `the body of the request could not be decoded: protobuf wire type ${wire}`);
	}
	return fields;
}

const last = (f: Fields, n: number) => f.get(n)?.at(-1);
export const message = (f: Fields, n: number): Fields | undefined => {
	const v = last(f, n);
	return Buffer.isBuffer(v) ? protoFields(v) : undefined;
};
export const text = (f: Fields, n: number): string | undefined => {
	const v = last(f, n);
	return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};

/** map<string, string> (or bytes, base64 as JSON carries them): repeated {key = 1, value = 2}. */
function stringMap(f: Fields, n: number, bytes = false): Record<string, string> | undefined {
	const entries = (f.get(n) ?? []).filter(Buffer.isBuffer).map(entry => {
		const e = protoFields(entry);
		const value = last(e, 2);
		const raw = Buffer.isBuffer(value) ? value : Buffer.alloc(0);
		return [text(e, 1) ?? '', bytes ? raw.toString('base64') : raw.toString('utf8')];
	});
	return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** ObjectMeta: name 1, generateName 2, namespace 3, labels 11, annotations 12, finalizers 14 (what a create sets). */
function objectMeta(f: Fields | undefined): KubeObject['metadata'] {
	const meta: KubeObject['metadata'] = {name: (f && text(f, 1)) ?? ''};
	if (!f) return meta;
	const generateName = text(f, 2);
	const namespace = text(f, 3);
	const labels = stringMap(f, 11);
	const annotations = stringMap(f, 12);
	const finalizers = (f.get(14) ?? []).filter(Buffer.isBuffer).map(b => b.toString('utf8'));
	return {
		...meta, ...(generateName ? {generateName} : {}), ...(namespace ? {namespace} : {}),
		...(labels ? {labels} : {}), ...(annotations ? {annotations} : {}), ...(finalizers.length ? {finalizers} : {}),
	};
}

/** The envelope: apiVersion, kind and the object's own message. */
export function unwrap(body: Buffer): {apiVersion: string; kind: string; raw: Fields} {
	const unknown = protoFields(body.subarray(4));
	const typeMeta = message(unknown, 1);
	const raw = last(unknown, 2);
	return {apiVersion: (typeMeta && text(typeMeta, 1)) ?? '', kind: (typeMeta && text(typeMeta, 2)) ?? '', raw: protoFields(Buffer.isBuffer(raw) ? raw : Buffer.alloc(0))};
}

/** A Namespace (metadata 1) or ConfigMap (metadata 1, data 2, binaryData 3, immutable 4) as JSON; other kinds 415. */
export function objectFromProtobuf(body: Buffer, contentType: string): KubeObject {
	const {apiVersion, kind, raw} = unwrap(body);
	const metadata = objectMeta(message(raw, 1));
	if (kind === 'Namespace') return {apiVersion, kind, metadata};
	if (kind === 'ConfigMap') {
		const data = stringMap(raw, 2);
		const binaryData = stringMap(raw, 3, true);
		const immutable = last(raw, 4);
		return {apiVersion, kind, metadata, ...(data ? {data} : {}), ...(binaryData ? {binaryData} : {}), ...(immutable !== undefined ? {immutable: immutable === 1} : {})};
	}
	throw new ApiError(415, 'UnsupportedMediaType', `the sandbox API server reads protobuf bodies only for Namespaces and ConfigMaps, not ${kind || contentType}; use \`kubectl create -f\` or \`kubectl apply -f\``);
}
