/** Manifests the tests apply, shaped like the labs' fixtures (traefik/whoami apps, the post's Services). */

export function whoamiDeployment(
  name: string,
  replicas: number,
  extra: { nodeSelector?: Record<string, string> } = {},
): string {
  const selector = extra.nodeSelector
    ? `      nodeSelector:\n${Object.entries(extra.nodeSelector)
        .map(([k, v]) => `        ${k}: "${v}"`)
        .join('\n')}\n`
    : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${selector}      containers:
        - name: whoami
          image: traefik/whoami:v1.11.0
          args: ["--port=8080", "--name=${name}"]
          ports:
            - containerPort: 8080
`;
}

export function service(
  name: string,
  app: string,
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer',
  extra: { nodePort?: number; policy?: 'Local' | 'Cluster' } = {},
): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: ${type}
${extra.policy ? `  externalTrafficPolicy: ${extra.policy}\n` : ''}  selector:
    app: ${app}
  ports:
    - port: 80
      targetPort: 8080
${extra.nodePort ? `      nodePort: ${extra.nodePort}\n` : ''}`;
}
