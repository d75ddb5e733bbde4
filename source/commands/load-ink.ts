// Ink draws nothing but the last frame when CI or CONTINUOUS_INTEGRATION is set (its is-in-ci flag, read once when
// Ink is first loaded). An operator at a real terminal whose shell exports CI (a CI job's debug shell, a dotfile)
// still needs every frame, so at a terminal Ink is loaded with those flags hidden, and they are put back at once
// so that the commands the operator runs still see them.

const CI_FLAGS = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export async function loadInteractive<T>(load: () => Promise<T>, env: NodeJS.ProcessEnv = process.env, atTerminal = Boolean(process.stdout.isTTY)): Promise<T> {
  if (!atTerminal) return load();
  const hidden = CI_FLAGS.filter(name => name in env).map(name => [name, env[name]] as const);
  for (const [name] of hidden) delete env[name];
  try {
    return await load();
  } finally {
    for (const [name, value] of hidden) env[name] = value;
  }
}
