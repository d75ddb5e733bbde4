// The kube context and namespace in force, read the way kubectl reads them (the first KUBECONFIG file that sets
// current-context wins) without loading the Kubernetes client: the status bar needs it at start-up.

import {existsSync, readFileSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import {delimiter, join} from 'node:path';

export interface KubeTarget {
  context: string;
  namespace: string;
  cluster: string | null;
  server: string | null;
  file: string;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<{name: string; context?: {cluster?: string; namespace?: string}}>;
  clusters?: Array<{name: string; cluster?: {server?: string}}>;
}

const cache = new Map<string, {mtimeMs: number; config: Kubeconfig | null}>();

// The YAML parser is ~110 KB of code: a start-up with no kubeconfig (a rehearsal, a laptop without a cluster)
// must not compile it before the first frame.
let parseYaml: ((text: string) => unknown) | null = null;

/** Loads the YAML parser, bundled, when a kubeconfig the environment names exists. Call before the first frame. */
export async function prepareKubeconfigReading(env: Record<string, string | undefined>): Promise<void> {
  if (parseYaml || !kubeconfigFiles(env).some(file => existsSync(file))) return;
  parseYaml = (await import('yaml')).parse;
}

function parseKubeconfig(text: string): Kubeconfig | null {
  // kubectl writes YAML; JSON is valid too (the sandbox writes it), and needs no parser.
  if (/^\s*\{/.test(text)) return JSON.parse(text) as Kubeconfig;
  // A kubeconfig that appeared after start-up (a block exported KUBECONFIG): loaded here and now, synchronously,
  // from the installed package (esbuild leaves a created require alone), so the context is never read as absent.
  parseYaml ??= (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse;
  return (parseYaml(text) as Kubeconfig | null) ?? null;
}

function load(file: string): Kubeconfig | null {
  try {
    const {mtimeMs} = statSync(file);
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.config;
    const config = parseKubeconfig(readFileSync(file, 'utf8'));
    cache.set(file, {mtimeMs, config});
    return config;
  } catch {
    return null;
  }
}

export function kubeconfigFiles(env: Record<string, string | undefined>): string[] {
  const list = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(env.HOME ?? homedir(), '.kube', 'config')];
  return list;
}

export function currentKubeTarget(env: Record<string, string | undefined>): KubeTarget | null {
  const files = kubeconfigFiles(env);
  const configs = files.map(f => [f, load(f)] as const).filter((c): c is readonly [string, Kubeconfig] => c[1] !== null);
  const withContext = configs.find(([, c]) => c['current-context']);
  if (!withContext) return null;
  const [file, config] = withContext;
  const name = config['current-context']!;
  const entry = configs.flatMap(([, c]) => c.contexts ?? []).find(c => c.name === name);
  const clusterName = entry?.context?.cluster ?? null;
  const cluster = clusterName ? configs.flatMap(([, c]) => c.clusters ?? []).find(c => c.name === clusterName) : undefined;
  return {context: name, namespace: entry?.context?.namespace || 'default', cluster: clusterName, server: cluster?.cluster?.server ?? null, file};
}

export const looksLikeProduction = (text: string | null | undefined) => !!text && /\bprod(uction)?\b|-prod|prod-/i.test(text);
