// The kube context and namespace in force, read the way kubectl reads them (the first KUBECONFIG file that sets
// current-context wins) without loading the Kubernetes client: the status bar needs it at start-up.

import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, join} from 'node:path';
import {parse} from 'yaml';

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

function load(file: string): Kubeconfig | null {
  try {
    const {mtimeMs} = statSync(file);
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.config;
    const config = (parse(readFileSync(file, 'utf8')) as Kubeconfig | null) ?? null;
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
