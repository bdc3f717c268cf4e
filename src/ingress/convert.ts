import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  Scalar,
  YAMLMap,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import { UserError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import { splitYamlDocuments, usesFlushSequences } from './yaml-segments.js';

/**
 * Rewrite the Ingress of 2019 (extensions/v1beta1, networking.k8s.io/v1beta1; both gone since Kubernetes 1.22) as
 * networking.k8s.io/v1, editing the YAML nodes in place so comments and key order survive. Other documents of the
 * file, and Ingresses already in v1, are passed through byte for byte.
 */

export const INGRESS_V1 = 'networking.k8s.io/v1';
export const LEGACY_INGRESS_VERSIONS: readonly string[] = ['extensions/v1beta1', 'networking.k8s.io/v1beta1'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The line that marks the post's YAML in fixtures/ingress/post/ for lint:labs; no longer true once the file is converted. */
export const LEGACY_MARKER = '# expose-labs: legacy';
/** Written with yaml-1.1 rules so that values such as `yes` stay strings for Kubernetes (yaml 2 writes YAML 1.2, where an unquoted `yes` is a string; Kubernetes reads YAML 1.1, where it is a boolean). */
const YAML_OPTIONS = { compat: 'yaml-1.1' } as const;

export interface ConvertOptions {
  /** Set `spec.ingressClassName` (e.g. `contour`). Without it, only a legacy class annotation is carried over. */
  ingressClassName?: string;
  /** How to name the input in messages (a file name). */
  sourceName?: string;
}

/** One thing the conversion did or wants the reader to know, about one Ingress. */
export interface ConversionNote {
  /** The Ingress's metadata.name, or `document N` when it has none. */
  ingress: string;
  text: Text;
}

export interface ConversionResult {
  yaml: string;
  notes: ConversionNote[];
  /** What keeps the output from applying (an excerpt's missing name, a document with no kind): exit 1, say each. */
  problems: ConversionNote[];
  /** Ingresses rewritten to v1. */
  converted: number;
  /** Ingresses that were already v1 and were left as they are. */
  alreadyV1: number;
}

export function convertIngressYaml(input: string, options: ConvertOptions = {}): ConversionResult {
  const sourceName = options.sourceName ?? '<input>';
  const notes: ConversionNote[] = [];
  const problems: ConversionNote[] = [];
  const source = readExcerpt(input, sourceName, notes);
  rejectSyntaxErrors(source, sourceName);
  let converted = 0;
  let alreadyV1 = 0;
  const parts = splitYamlDocuments(source).map((segment, index) => {
    const doc = parseDocument(segment, YAML_OPTIONS);
    const label = `document ${index + 1}`;
    if (isMap(doc.contents) && stringAt(doc.contents, 'kind') === undefined)
      problems.push({
        ingress: label,
        text: {
          ko: `${sourceName} 의 ${index + 1}번째 문서에 kind 가 없습니다: 완전한 매니페스트가 아니라 일부(발췌)로 보입니다.`,
          en: `${sourceName}, document ${index + 1}, has no kind: it reads as part of a manifest (an excerpt), not a whole one.`,
        },
      });
    let changed = false;
    for (const ingress of ingressesIn(doc)) {
      const outcome = convertIngress(doc, ingress, label, options, notes);
      if (outcome === 'converted') converted++;
      else alreadyV1++;
      changed ||= outcome === 'converted';
      if (outcome === 'converted') {
        changed = dropStatus(ingress, label, notes) || changed;
        problems.push(...missingFields(ingress, label));
      }
    }
    if (!changed) return segment;
    dropLegacyMarker(doc);
    return doc.toString({ indentSeq: !usesFlushSequences(segment), lineWidth: 0 });
  });
  if (converted + alreadyV1 === 0) {
    throw new UserError(
      { ko: `${sourceName} 에 Ingress가 없습니다.`, en: `${sourceName} holds no Ingress.` },
      {
        ko: '`kind: Ingress` 인 매니페스트(여러 문서나 `kind: List` 도 됩니다)를 주세요. 예: fixtures/ingress/post/jordy-ing.yaml',
        en: 'Give a manifest with `kind: Ingress` (several documents or a `kind: List` are fine), e.g. fixtures/ingress/post/jordy-ing.yaml',
      },
    );
  }
  return { yaml: parts.join(''), notes, problems, converted, alreadyV1 };
}

/**
 * The post's `kubectl edit` block writes `...` where it leaves fields out. To YAML, a `...` line ends the document,
 * so the rest would become a second document with no kind. When a `...` line follows a document that has a kind and
 * the text after it has neither kind nor apiVersion, it is read as that: fields left out. It becomes a comment (line
 * numbers stay) and the reader is told; what is then missing is named after the conversion.
 */
function readExcerpt(source: string, sourceName: string, notes: ConversionNote[]): string {
  const lines = source.split('\n');
  const isBoundary = (line: string) => /^(---|\.\.\.)(\s|$)/.test(line);
  for (let i = 0; i < lines.length; i++) {
    if (!/^\.\.\.\s*$/.test(lines[i]!)) continue;
    let start = i - 1;
    while (start >= 0 && !isBoundary(lines[start]!)) start--;
    let end = i + 1;
    while (end < lines.length && !isBoundary(lines[end]!)) end++;
    const before = lines.slice(start + 1, i);
    const after = lines.slice(i + 1, end);
    const topKey = (key: string) => (part: string[]) => part.some((line) => new RegExp(`^${key}:`).test(line));
    const continues = after.some((line) => /^[A-Za-z][\w-]*:/.test(line));
    if (!topKey('kind')(before) || topKey('kind')(after) || topKey('apiVersion')(after) || !continues) continue;
    lines[i] = '# ...';
    notes.push({
      ingress: `${sourceName}:${i + 1}`,
      text: {
        ko: '`...` 은 YAML에서 문서의 끝이지만, 여기서는 생략된 필드를 뜻하는 발췌 표시로 읽었습니다 (kubectl edit 화면의 일부).',
        en: '`...` ends a document in YAML; here it was read as an excerpt marking fields left out (part of a kubectl edit screen).',
      },
    });
  }
  return lines.join('\n');
}

/** `status` is what the controller writes back (the post's `ip: 34.x`); a manifest to apply does not carry it. */
function dropStatus(ingress: YAMLMap, label: string, notes: ConversionNote[]): boolean {
  if (!pairAt(ingress, 'status')) return false;
  ingress.delete('status');
  const name = stringAt(mapAt(ingress, 'metadata') ?? new YAMLMap(), 'name') ?? label;
  notes.push({
    ingress: name,
    text: {
      ko: 'status 를 뺐습니다: 컨트롤러가 써 넣는 부분이라 적용할 매니페스트에는 두지 않습니다.',
      en: 'status removed: the controller writes it; a manifest to apply does not carry it.',
    },
  });
  return true;
}

/** What the API server would refuse in a v1 Ingress, said field by field. */
function missingFields(ingress: YAMLMap, label: string): ConversionNote[] {
  const metadata = mapAt(ingress, 'metadata');
  const name = metadata && stringAt(metadata, 'name');
  const who = name ?? label;
  const missing: ConversionNote[] = [];
  if (!name)
    missing.push({
      ingress: who,
      text: {
        ko: 'metadata.name 이 없습니다 (발췌에서 생략된 부분). 예: metadata: { name: basic-niniz-ing-multi-path } 를 넣으세요. 이름 없는 Ingress는 적용되지 않습니다.',
        en: 'metadata.name is missing (left out of the excerpt). Add e.g. metadata: { name: basic-niniz-ing-multi-path }; an Ingress without a name does not apply.',
      },
    });
  const spec = mapAt(ingress, 'spec');
  const rules = spec?.get('rules', true);
  if (!spec || (!isSeq(rules) && !pairAt(spec, 'defaultBackend')))
    missing.push({
      ingress: who,
      text: {
        ko: 'spec.rules 도 spec.defaultBackend 도 없습니다: 이 Ingress는 어떤 요청도 보내지 않으며 API 서버가 거부합니다.',
        en: 'neither spec.rules nor spec.defaultBackend: this Ingress routes nothing, and the API server refuses it.',
      },
    });
  return missing;
}

function rejectSyntaxErrors(source: string, sourceName: string): void {
  const lines = new LineCounter();
  const docs = parseAllDocuments(source, { ...YAML_OPTIONS, lineCounter: lines, prettyErrors: false });
  const error = Array.isArray(docs) ? docs.flatMap((d) => d.errors)[0] : undefined;
  if (!error) return;
  const { line, col } = lines.linePos(error.pos[0]);
  const problem = error.message.split('\n')[0];
  throw new UserError(
    {
      ko: `${sourceName}:${line}:${col}: YAML로 읽을 수 없습니다: ${problem}`,
      en: `${sourceName}:${line}:${col} is not valid YAML: ${problem}`,
    },
    { ko: '들여쓰기와 콜론, 따옴표를 확인하세요.', en: 'Check the indentation, colons and quotes there.' },
  );
}

/** The marker sits before the document or, with no blank line after it, on the first key. */
function dropLegacyMarker(doc: Document): void {
  const marker = LEGACY_MARKER.slice(1);
  const strip = (comment: string | null | undefined) =>
    comment
      ?.split('\n')
      .filter((line) => !line.startsWith(marker))
      .join('\n') || null;
  doc.commentBefore = strip(doc.commentBefore);
  const firstKey = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  if (isScalar(firstKey)) firstKey.commentBefore = strip(firstKey.commentBefore) ?? undefined;
}

/** The Ingress maps of one document: the document itself, or the items of a `kind: List`. */
function ingressesIn(doc: Document): YAMLMap[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  if (stringAt(root, 'kind') === 'Ingress') return [root];
  const items = root.get('items', true);
  if (stringAt(root, 'kind') !== 'List' || !isSeq(items)) return [];
  return items.items.filter((item): item is YAMLMap => isMap(item) && stringAt(item, 'kind') === 'Ingress');
}

interface Rewrite {
  doc: Document;
  ingress: string;
  notes: ConversionNote[];
}

function note(rw: Rewrite, text: Text): void {
  rw.notes.push({ ingress: rw.ingress, text });
}

function convertIngress(
  doc: Document,
  ingress: YAMLMap,
  fallbackName: string,
  options: ConvertOptions,
  notes: ConversionNote[],
): 'converted' | 'v1' {
  const metadata = mapAt(ingress, 'metadata');
  const rw: Rewrite = { doc, ingress: (metadata && stringAt(metadata, 'name')) || fallbackName, notes };
  const apiVersion = stringAt(ingress, 'apiVersion');
  if (apiVersion === INGRESS_V1) {
    note(rw, { ko: `이미 ${INGRESS_V1} 입니다. 그대로 둡니다.`, en: `already ${INGRESS_V1}: left as it is.` });
    return 'v1';
  }
  if (apiVersion === undefined || !LEGACY_INGRESS_VERSIONS.includes(apiVersion)) {
    throw new UserError(
      {
        ko: `Ingress ${rw.ingress}: apiVersion "${apiVersion ?? ''}" 은 변환할 수 없는 버전입니다.`,
        en: `Ingress ${rw.ingress} has apiVersion "${apiVersion ?? ''}", which cannot be converted.`,
      },
      {
        ko: `변환할 수 있는 것: ${LEGACY_INGRESS_VERSIONS.join(', ')} → ${INGRESS_V1}`,
        en: `Convertible: ${LEGACY_INGRESS_VERSIONS.join(', ')} → ${INGRESS_V1}`,
      },
    );
  }
  ingress.set('apiVersion', INGRESS_V1);
  note(rw, { ko: `apiVersion: ${apiVersion} → ${INGRESS_V1}`, en: `apiVersion: ${apiVersion} → ${INGRESS_V1}` });

  let spec = mapAt(ingress, 'spec');
  const annotationClass = takeClassAnnotation(metadata, rw);
  if (!spec) {
    spec = new YAMLMap();
    ingress.set('spec', spec);
  }
  convertDefaultBackend(spec, rw);
  convertRules(spec, rw);
  setIngressClass(spec, annotationClass, options.ingressClassName, rw);
  return 'converted';
}

function convertDefaultBackend(spec: YAMLMap, rw: Rewrite): void {
  const pair = pairAt(spec, 'backend');
  if (!pair) return;
  (pair.key as Scalar).value = 'defaultBackend';
  note(rw, { ko: 'spec.backend → spec.defaultBackend', en: 'spec.backend → spec.defaultBackend' });
  if (isMap(pair.value)) convertBackend(pair.value, 'spec.defaultBackend', rw);
}

function convertRules(spec: YAMLMap, rw: Rewrite): void {
  const rules = spec.get('rules', true);
  if (!isSeq(rules)) return;
  rules.items.forEach((rule, r) => {
    if (!isMap(rule)) return;
    const paths = mapAt(rule, 'http')?.get('paths', true);
    if (!isSeq(paths)) return;
    paths.items.forEach((path, p) => {
      if (!isMap(path)) return;
      const label = `${stringAt(rule, 'host') ?? '*'}${stringAt(path, 'path') ?? ''} (spec.rules[${r}].http.paths[${p}])`;
      convertPath(path, label, rw);
    });
  });
}

function convertPath(path: YAMLMap, label: string, rw: Rewrite): void {
  if (!pairAt(path, 'path')) {
    path.items.unshift(rw.doc.createPair('path', '/'));
    note(rw, {
      ko: `${label}: path 가 없어 "/" 를 넣었습니다 (path 없는 규칙은 모든 경로를 받았습니다).`,
      en: `${label}: no path, so "/" was added (a rule without a path took every path).`,
    });
  }
  if (!pairAt(path, 'pathType')) {
    const at = path.items.indexOf(pairAt(path, 'path')!) + 1;
    path.items.splice(at, 0, rw.doc.createPair('pathType', 'Prefix'));
    note(rw, {
      ko: `${label}: pathType: Prefix 추가 (v1 필수. 예전 기본 동작은 ImplementationSpecific 에 가까웠고, Contour에서는 단순 문자열 접두사라 /jordy 가 /jordyx 와도 맞았습니다)`,
      en: `${label}: pathType: Prefix added (required in v1; the old default behaved like ImplementationSpecific, in Contour a plain string prefix where /jordy also matched /jordyx)`,
    });
  }
  const backend = path.get('backend', true);
  if (isMap(backend)) convertBackend(backend, label, rw);
}

/** `{serviceName, servicePort}` → `{service: {name, port: {number | name}}}`, reusing the value nodes so their comments stay. */
function convertBackend(backend: YAMLMap, label: string, rw: Rewrite): void {
  const namePair = pairAt(backend, 'serviceName');
  const portPair = pairAt(backend, 'servicePort');
  if (!namePair && !portPair) return;
  if (!namePair || !portPair || !isScalar(namePair.value) || !isScalar(portPair.value)) {
    throw new UserError(
      {
        ko: `Ingress ${rw.ingress}, ${label}: backend 에 serviceName 과 servicePort 가 둘 다 있어야 합니다.`,
        en: `Ingress ${rw.ingress}, ${label}: the backend needs both serviceName and servicePort.`,
      },
      {
        ko: '예: serviceName: jordy-node-port-svc, servicePort: 80',
        en: 'For example serviceName: jordy-node-port-svc, servicePort: 80',
      },
    );
  }
  const { field, node: portNode } = servicePort(portPair.value);
  const port = new YAMLMap();
  port.items.push(rw.doc.createPair(field, portNode));
  const service = new YAMLMap();
  service.items.push(rw.doc.createPair('name', namePair.value), rw.doc.createPair('port', port));
  const servicePair = rw.doc.createPair('service', service);
  carryComment(namePair.key, servicePair.key);
  const at = Math.min(backend.items.indexOf(namePair), backend.items.indexOf(portPair));
  backend.items = backend.items.filter((p) => p !== namePair && p !== portPair);
  backend.items.splice(at, 0, servicePair);
  note(rw, {
    ko: `${label}: backend serviceName/servicePort → service.name/service.port.${field}`,
    en: `${label}: backend serviceName/servicePort → service.name/service.port.${field}`,
  });
}

/** servicePort was an int-or-string: a number (or digits) is a port number, anything else a port name. */
function servicePort(value: Scalar): { field: 'number' | 'name'; node: Scalar } {
  if (typeof value.value === 'number') return { field: 'number', node: value };
  const text = String(value.value);
  if (!/^\d+$/.test(text)) return { field: 'name', node: value };
  const node = new Scalar(Number(text));
  node.comment = value.comment;
  return { field: 'number', node };
}

function takeClassAnnotation(metadata: YAMLMap | undefined, rw: Rewrite): string | undefined {
  const annotations = metadata && mapAt(metadata, 'annotations');
  const pair = annotations && pairAt(annotations, CLASS_ANNOTATION);
  if (!annotations || !pair) return undefined;
  annotations.items = annotations.items.filter((p) => p !== pair);
  if (annotations.items.length === 0) metadata.delete('annotations');
  const value = isScalar(pair.value) ? String(pair.value.value) : '';
  note(rw, {
    ko: `어노테이션 ${CLASS_ANNOTATION}: ${value} 를 지우고 spec.ingressClassName 으로 옮깁니다 (v1에서는 둘을 함께 쓸 수 없습니다).`,
    en: `annotation ${CLASS_ANNOTATION}: ${value} removed in favour of spec.ingressClassName (v1 refuses both together).`,
  });
  return value || undefined;
}

function setIngressClass(
  spec: YAMLMap,
  fromAnnotation: string | undefined,
  asked: string | undefined,
  rw: Rewrite,
): void {
  const existing = stringAt(spec, 'ingressClassName');
  const wanted = asked ?? existing ?? fromAnnotation;
  if (wanted === undefined) {
    note(rw, {
      ko: 'ingressClassName 이 없습니다. 클래스 없는 Ingress를 받는 컨트롤러만 처리합니다 (Contour는 받습니다). 실습 클러스터에서는 --class contour 를 쓰세요.',
      en: 'no ingressClassName: only a controller that takes Ingresses without a class will serve it (Contour does). On the lab cluster use --class contour.',
    });
    return;
  }
  if (wanted === existing) return;
  if (existing !== undefined) spec.set('ingressClassName', wanted);
  else spec.items.unshift(rw.doc.createPair('ingressClassName', wanted));
  const why = asked !== undefined ? '--class' : CLASS_ANNOTATION;
  note(rw, { ko: `spec.ingressClassName: ${wanted} (${why})`, en: `spec.ingressClassName: ${wanted} (${why})` });
}

function carryComment(from: unknown, to: unknown): void {
  if (isScalar(from) && isScalar(to) && from.commentBefore) to.commentBefore = from.commentBefore;
}

function pairAt(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p): p is Pair => (isScalar(p.key) ? p.key.value === key : p.key === key));
}

function mapAt(map: YAMLMap, key: string): YAMLMap | undefined {
  const value = map.get(key, true) as Node | undefined;
  return isMap(value) ? value : undefined;
}

function stringAt(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key, true) as Node | undefined;
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}
