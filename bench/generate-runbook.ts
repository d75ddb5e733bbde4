// A large but realistic runbook: the guide's shapes (steps, bash blocks, task lists, criteria, tables)
// repeated until the target size. Deterministic, so runs compare.

export function generateRunbook(targetBytes: number): string {
  const parts = ['# Generated Runbook\n\nA synthetic runbook for benchmarks.\n'];
  let size = parts[0]!.length;
  for (let s = 1; size < targetBytes; s++) {
    const section = [`\n## Section ${s}\n`];
    for (let t = 1; t <= 5; t++) {
      section.push(
        `\n### Step ${s}.${t}: Verify service ${t}\n\nCheck that the service answers and roll back if it does not.\n\n` +
          '```bash\nexport KUBECONFIG=/path/to/kubeconfig-production.yaml\n' +
          `kubectl get pods -n ns-${s} -l app=svc-${t}\nSERVICE_IP=$(kubectl get svc svc-${t} -n ns-${s} -o jsonpath='{.spec.clusterIP}')\n` +
          `curl -f http://\${SERVICE_IP}:8000/health \\\n  -H "Accept: application/json"\n` +
          '```\n\n**Validation Criteria:**\n- ✅ Pods running\n- ✅ Health endpoint answers\n\n' +
          '- [ ] Logs reviewed\n- [ ] Metrics normal\n- [x] Team notified\n\n' +
          '| Metric | Target |\n|---|---|\n| Error rate | < 0.1% |\n| p95 | < 500ms |\n',
      );
    }
    const text = section.join('');
    parts.push(text);
    size += text.length;
  }
  return parts.join('');
}
