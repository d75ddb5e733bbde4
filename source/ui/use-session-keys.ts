// The session screen's keyboard: each read becomes keys, each key is resolved in the screen's mode by the key maps
// (key-map.ts) to an action or a refusal, and the action is done (session-commands.ts). Nothing else is decided here.

import {useApp, useInput, type Key} from 'ink';
import {keyName, resolveKey} from './key-map.js';
import {splitPaste} from './paste.js';
import {carryOutPending, keyStateOf, modeOf, perform, type CommandContext} from './session-commands.js';

export type KeyContext = Omit<CommandContext, 'quit'> & {onQuit: () => void; active: boolean};

export function useSessionKeys(ctx: KeyContext) {
  const {exit} = useApp();
  const commands: CommandContext = {
    ...ctx,
    quit: () => {
      ctx.onQuit();
      exit();
    },
  };
  useInput(
    (input, key) => {
      const prompt = modeOf(commands) === 'prompt';
      // Several keys can arrive in one read ("nn" typed fast, or sent by a script); outside a prompt each is a key.
      if (input.length > 1 && !prompt && !key.ctrl && !key.meta && !input.includes('\x1b')) {
        for (const ch of input) handleKey(ch, {...key, return: ch === '\r'}, commands);
        return;
      }
      const pasted = prompt ? splitPaste(input) : null;
      if (!pasted) return handleKey(input, key, commands);
      if (pasted.text) handleKey(pasted.text, {...key, return: false}, commands);
      handleKey('', {...key, return: true}, commands);
    },
    {isActive: ctx.active},
  );
}

/** One key: resolved in the current mode to an action (done) or a refusal (said). */
export function handleKey(input: string, key: Key, ctx: CommandContext) {
  const mode = modeOf(ctx);
  const name = keyName(input, key, mode);
  if (!name) return;
  const resolved = resolveKey(mode, name, keyStateOf(ctx));
  if (!resolved) return;
  if ('refusal' in resolved) return ctx.dispatch({type: 'message', text: resolved.refusal.text, tone: resolved.refusal.tone});
  perform(resolved.action, ctx, input);
  carryOutPending(ctx);
}
