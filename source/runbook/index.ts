export * from './model.js';
export {InputError} from './errors.js';
export {parseRunbook} from './parse.js';
export {readRunbookFile, decodeRunbook, MAX_RUNBOOK_BYTES} from './read.js';
export {repairMacRomanMojibake} from './mojibake.js';
export {scriptOf} from './blocks.js';
export {isSecretName} from './secret-names.js';
export {walkSteps, findNode, countChecklist} from './walk.js';
export {formatOutline} from './outline.js';
