// The one shell tokenizer: simple commands and their words, the way a shell splits them.
import {describe, expect, it} from 'vitest';
import {parseRunbook} from '../../source/runbook/index.js';
import {commandsRun, scanShell, shellCommands} from '../../source/runbook/shell-scan.js';

const programs = (text: string) => shellCommands(text).map(c => [c.program, ...c.args]);

describe('shellCommands', () => {
  it('splits on ; && || | & and newlines, keeping quoted separators in their word', () => {
    expect(programs('a 1; b "2; 3" && c \'|\' || d | e & f\ng')).toEqual([['a', '1'], ['b', '2; 3'], ['c', '|'], ['d'], ['e'], ['f'], ['g']]);
  });

  it('removes quotes and escapes but keeps expansions as written', () => {
    const [c] = shellCommands(`echo "a \\"b\\"" 'c d' e\\ f $X "\${Y:-z}" $'g\\'h'`);
    expect(c!.args).toEqual(['a "b"', 'c d', 'e f', '$X', '${Y:-z}', "g'h"]);
    expect(c!.raw).toEqual(['echo', '"a \\"b\\""', "'c d'", 'e\\ f', '$X', '"${Y:-z}"', "$'g\\'h'"]);
  });

  it('sets leading assignments apart and peels off sudo, env, time, nice, nohup and timeout', () => {
    const [c] = shellCommands('A=1 B="two words" sudo -E -u root env -i C=3 time -p nice -n 5 nohup timeout -s KILL 30s kubectl get pods');
    expect(c!.assignments).toEqual([{name: 'A', value: '1'}, {name: 'B', value: '"two words"'}]);
    expect(c!.words[0]).toBe('sudo');
    expect([c!.program, ...c!.args]).toEqual(['kubectl', 'get', 'pods']);
    expect(shellCommands('/usr/local/bin/kubectl version')[0]!.program).toBe('kubectl');
    expect(shellCommands('X=1')[0]).toMatchObject({program: '', assignments: [{name: 'X', value: '1'}]});
  });

  it('runs a $(…) or backquoted command before the command around it, nested and marked so', () => {
    const list = shellCommands('echo "ns: $(kubectl get ns -o name | head -1)" `date -u`');
    expect(list.map(c => [c.program, c.nested])).toEqual([['kubectl', true], ['head', true], ['date', true], ['echo', false]]);
    expect(list[3]!.args[0]).toBe('ns: $(kubectl get ns -o name | head -1)');
  });

  it('drops redirections with their targets, and skips heredoc bodies whatever they hold', () => {
    expect(programs('kubectl get pods -n prod 2>&1 > /tmp/out >>log <in')).toEqual([['kubectl', 'get', 'pods', '-n', 'prod']]);
    const script = "gh pr create --title x --body \"$(cat <<'EOF'\n## it's (odd\n- a | b; c\nEOF\n)\" --base main\nkubectl get pods";
    expect(shellCommands(script).map(c => c.program)).toEqual(['cat', 'gh', 'kubectl']);
    expect(shellCommands(script)[1]!.args.slice(-2)).toEqual(['--base', 'main']);
    expect(programs('cat <<-EOF | kubectl apply -f -\n\tkind: x\n\tEOF\necho done')).toEqual([['cat'], ['kubectl', 'apply', '-f', '-'], ['echo', 'done']]);
  });

  it('joins continuations, drops comments, and reads past the words of if/then/fi', () => {
    expect(programs('kubectl get pods \\\n  -n prod # trailing\n# whole line')).toEqual([['kubectl', 'get', 'pods', '-n', 'prod']]);
    expect(programs('if kubectl get deploy/a; then echo "#ok"; fi')).toEqual([['kubectl', 'get', 'deploy/a'], ['echo', '#ok']]);
  });

  it('keeps a <placeholder> as a word, not a redirection', () => {
    expect(programs('git checkout <commit-sha> && kubectl get pods -n <namespace> < input')).toEqual([['git', 'checkout', '<commit-sha>'], ['kubectl', 'get', 'pods', '-n', '<namespace>']]);
  });

  it('does not take arithmetic for a command, and survives hostile nesting', () => {
    expect(programs('echo $((1 + (2 * 3)))')).toEqual([['echo', '$((1 + (2 * 3)))']]);
    expect(() => shellCommands('$('.repeat(5000) + 'x')).not.toThrow();
    expect(() => shellCommands('"'.repeat(3) + '`' + "'")).not.toThrow();
  });
});

describe('commandsRun', () => {
  it('looks through watch and sh -c to the command they run', () => {
    const run = (text: string) => commandsRun(text).map(c => [c.program, ...c.args]);
    expect(run('watch -n 2 "kubectl get pods -n prod"')).toEqual([['kubectl', 'get', 'pods', '-n', 'prod']]);
    expect(run('watch -n 10 kubectl top pods')).toEqual([['kubectl', 'top', 'pods']]);
    expect(run("bash -lc 'kubectl -n x get deploy && helm list'")).toEqual([['kubectl', '-n', 'x', 'get', 'deploy'], ['helm', 'list']]);
    expect(run('bash script.sh')).toEqual([['bash', 'script.sh']]);
  });
});

describe('variables read through parameter expansion', () => {
  it('reads VAR from ${VAR:0:7}, ${VAR%…}, ${VAR#…}, ${VAR/…}, ${#VAR}, ${VAR^^} and ${!VAR}', () => {
    const [c] = scanShell('echo ${SHA:0:7} ${FILE%.tar.gz} ${TAG#v} ${PATHISH/a/b} ${#LIST} ${NAME^^} ${!REF}');
    expect(c!.reads).toEqual(['SHA', 'FILE', 'TAG', 'PATHISH', 'LIST', 'NAME', 'REF'].map(name => ({name, hasDefault: false})));
  });

  it('counts only -, = and + as covering an unset variable, and reads inside the operand', () => {
    const [c] = scanShell('echo ${A:-x} ${B-x} ${C:=x} ${D:+x} ${E:?say} ${F:-$G} ${H%$SUFFIX} ${I%${J}} ${!PREFIX*} ${#} ${@}');
    expect(c!.reads.filter(r => r.name).map(r => [r.name, r.hasDefault])).toEqual([
      ['A', true], ['B', true], ['C', true], ['D', true], ['E', false], ['F', true], ['G', true], ['H', false], ['SUFFIX', false], ['I', false], ['J', false],
    ]);
  });

  it('asks for them in a runbook, where they were never asked for before', () => {
    const rb = parseRunbook('# X\n\n## Y\n\n```bash\necho "deploying ${GIT_SHA:0:7} of ${ARCHIVE%.tar.gz}" ${#REPLICAS}\n```\n');
    expect(rb.variables.map(v => [v.name, v.kind])).toEqual([['GIT_SHA', 'input'], ['ARCHIVE', 'input'], ['REPLICAS', 'input']]);
    expect(rb.sections[0]!.blocks[0]!.uses).toEqual(['GIT_SHA', 'ARCHIVE', 'REPLICAS']);
  });

  it('finds assignments on every line of a command, not only the first, and not those of a subshell', () => {
    const [c] = scanShell('export A=1 \\\n  B=2 && C=$(D=4 date)');
    expect(c!.assigns.map(a => a.name)).toEqual(['A', 'B', 'C']);
  });
});
