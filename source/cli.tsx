console.log('runbook: skeleton');
