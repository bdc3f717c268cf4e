import { InvalidArgumentError, Option } from './commander.js';
import { DEFAULT_CLUSTER_NAME, DEFAULT_HOST_PORTS } from './cluster/types.js';
import type { CommandRun } from './commands/types.js';
import { tr, type Lang, type Text } from './core/i18n.js';

/** The command line as data: every command, its flags and their help in both languages. */
export interface CommandSpec {
  name: string;
  /** Loads the module under src/commands/ that exports `run` (a literal import, so tools can see it). */
  load: () => Promise<{ run: CommandRun }>;
  summary: Text;
  hidden?: boolean;
  options?: Option[];
}

const t = (ko: string, en: string): Text => ({ ko, en });

const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InvalidArgumentError('not a port number (1-65535) / 포트 번호가 아닙니다.');
  return n;
};
const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('not a positive whole number / 양의 정수가 아닙니다.');
  return n;
};
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function commandTable(lang: Lang): CommandSpec[] {
  const option = (flags: string, text: Text) => new Option(flags, tr(text, lang));
  const json = () => option('--json', t('기계가 읽는 JSON으로 출력', 'print machine-readable JSON'));
  return [
    {
      name: 'start [lab]',
      load: () => import('./commands/start.js'),
      summary: t(
        '컴퓨터를 점검하고, 클러스터를 만들거나 다시 쓰고, 실습을 차례로 안내합니다',
        'check the machine, create or reuse the cluster, and walk through the labs',
      ),
      options: [
        option(
          '--auto',
          t(
            '발표 모드: 질문 없이 모든 단계를 설명과 함께 실행',
            'presenter mode: run every step with its explanation, no questions',
          ),
        ),
        option(
          '--pause',
          t('--auto 와 함께: 단계 사이마다 Enter 를 기다림', 'with --auto: wait for Enter between steps'),
        ),
        option(
          '--recreate',
          t('설정이 다른 클러스터를 지우고 다시 만듦', 'recreate the cluster when its configuration differs'),
        ),
        option('--skip-doctor', t('먼저 하는 컴퓨터 점검을 건너뜀', 'do not run the machine checks first')),
        option(
          '--tour',
          t(
            '투어 모드: Docker 없이 화면, 설명, YAML, 명령을 읽으며 따라감 (실행과 확인은 꺼짐)',
            'tour mode: follow along without Docker (screens, explanations, YAML, commands; nothing runs)',
          ),
        ),
        option(
          '--room <url>',
          t(
            '강사의 방(room serve 가 출력한 주소)에 진행 상황을 보냄; 이 클러스터에 기억됨',
            "report progress to the instructor's room (the URL room serve printed); remembered for this cluster",
          ),
        ),
        option('--room-name <name>', t('방에서 보일 이름', 'your display name in the room')),
        option(
          '--no-predict',
          t('확인 전에 결과를 예상하는 질문을 하지 않음', 'do not ask for a prediction before the checks'),
        ),
      ],
    },
    {
      name: 'list',
      load: () => import('./commands/list.js'),
      summary: t('실습과 단계 목록', 'list the labs and their steps'),
      options: [json()],
    },
    {
      name: 'show <lab>',
      load: () => import('./commands/show.js'),
      summary: t(
        '클러스터 없이 실습 읽기: 단계, 매니페스트, 명령, 확인 항목',
        'read a lab offline: its steps, manifests, commands and checks',
      ),
      options: [option('--solutions', t('각 단계의 풀이도 보여 줌', "also show each step's solution"))],
    },
    {
      name: 'status',
      load: () => import('./commands/status.js'),
      summary: t('실습별 진행 상황', 'show progress per lab'),
      options: [
        json(),
        option(
          '--report <file>',
          t(
            '끝낸 단계와 확인 결과를 보고서(.md 또는 .json)로 씀',
            'write a report (.md or .json) of finished steps and what each check saw',
          ),
        ),
        option('--name <learner>', t('보고서에 넣을 이름 (기억됨)', 'your name for the report (remembered)')),
        option(
          '--check-report <file>',
          t(
            '받은 보고서가 쓰인 뒤 바뀌지 않았는지 다이제스트로 확인',
            'check by its digests that a handed-in report was not changed after it was written',
          ),
        ),
      ],
    },
    {
      name: 'verify [target]',
      load: () => import('./commands/verify.js'),
      summary: t(
        '실습 또는 실습/단계의 확인 항목 실행 (기본: 지금 단계)',
        'run the checks of a lab or lab/step (default: the current step)',
      ),
      options: [json()],
    },
    {
      name: 'explain <target>',
      load: () => import('./commands/explain.js'),
      summary: t(
        '실습/단계에서 클러스터가 만든 것 보기: EndpointSlice, 노드의 kube-proxy 규칙, Ingress 경로 (각각 직접 볼 명령과 함께)',
        "show what the cluster built for a lab/step: EndpointSlices, kube-proxy's rules on the nodes, the Ingress route (each with the command to see it)",
      ),
    },
    {
      name: 'hint [target]',
      load: () => import('./commands/hint.js'),
      summary: t('지금 단계(또는 실습/단계)의 힌트', 'show the hint for the current step (or lab/step)'),
    },
    {
      name: 'solve [target]',
      load: () => import('./commands/solve.js'),
      summary: t(
        '지금 단계(또는 실습/단계)의 풀이를 보이고 실행',
        'show the solution and run it for the current step (or lab/step)',
      ),
    },
    {
      name: 'reset [lab]',
      load: () => import('./commands/reset.js'),
      summary: t(
        '실습이 만든 것을 지우고 진행 상황을 잊음 (기본: 모든 실습)',
        'undo what a lab made and forget its progress (default: all labs)',
      ),
    },
    {
      name: 'goto <target>',
      load: () => import('./commands/goto.js'),
      summary: t(
        '실습을 초기화하고 앞 단계를 다시 실행해 실습/단계까지 따라잡기',
        'reset a lab and replay its earlier steps to catch up at lab/step',
      ),
    },
    {
      name: 'down',
      load: () => import('./commands/down.js'),
      summary: t(
        '클러스터, 도우미 컨테이너, hosts 항목, 작업 폴더의 비밀 파일을 지움',
        'remove the cluster, helper containers, hosts entries and workspace secrets',
      ),
    },
    {
      name: 'doctor',
      load: () => import('./commands/doctor.js'),
      summary: t(
        'Docker, kind, kubectl, 포트, 한도를 점검하고 고치는 법을 알려 줌',
        'check Docker, kind, kubectl, ports and limits; say how to fix what is missing',
      ),
      options: [
        json(),
        option(
          '--fix',
          t(
            '없는 kind 나 kubectl 을 (고정 버전, 체크섬 확인) 캐시에 내려받음',
            'download a missing kind or kubectl (pinned, checksum-verified) into the cache',
          ),
        ),
      ],
    },
    {
      name: 'test [lab]',
      load: () => import('./commands/test.js'),
      summary: t(
        '실습 자체 시험: 확인 항목이 단계 전에는 실패하고 단계 뒤에는 통과하는지',
        'self-test labs on the cluster: checks fail before each step and pass after it',
      ),
      options: [
        json(),
        option('--junit <file>', t('JUnit XML 보고서도 씀', 'also write a JUnit XML report')),
        option(
          '--mistakes',
          t(
            '실습마다 알려진 실수를 하나씩 해 보고, 정해진 확인 항목이 정해진 판정으로 잡는지 시험',
            "try each lab's known mistakes one by one: the named check must give the named verdict",
          ),
        ),
        option(
          '--max-wait <seconds>',
          t(
            '단계마다 기다리는 시간의 상한 (단계의 within 보다 짧게: CI 시간 제한 안에서 실패를 보고)',
            "upper bound for each step's wait (below its within, so a failure is reported inside a CI timeout)",
          ),
        ).argParser(positiveInt),
        option(
          '--settle <seconds>',
          t(
            '--mistakes: 실수의 판정이 유지되어야 하는 최소 시간 (느린 실제 클러스터용)',
            "--mistakes: the least time a mistake's verdict must hold (for a slower real cluster)",
          ),
        ).argParser(positiveInt),
      ],
    },
    {
      name: 'tls <action>',
      load: () => import('./commands/tls.js'),
      summary: t(
        'tls generate: RSA-2048 키와 자체 서명 인증서를 만듦',
        'tls generate: make an RSA-2048 key and a self-signed certificate',
      ),
      options: [
        option(
          '--host <name>',
          t(
            'CN 과 subjectAltName 에 넣을 호스트 이름 (여러 번 가능; 기본: TLS 실습의 niniz.com)',
            'host name for CN and subjectAltName (repeatable; default: the TLS lab’s niniz.com)',
          ),
        ).argParser(collect),
        option('--days <n>', t('유효 기간(일)', 'validity in days')).argParser(positiveInt).default(360),
        option(
          '--out <dir>',
          t('키와 인증서를 둘 폴더 (기본: 작업 폴더)', 'folder for the key and certificate (default: the workspace)'),
        ),
        option(
          '--name <base>',
          t(
            '파일 이름 (기본: 첫 호스트의 첫 점 앞까지)',
            'file base name (default: the first host up to its first dot)',
          ),
        ),
        option('--force', t('이미 있는 키와 인증서를 바꿈', 'replace an existing key and certificate')),
        json(),
      ],
    },
    {
      name: 'hosts <action> [names...]',
      load: () => import('./commands/hosts.js'),
      summary: t(
        'hosts add|remove|show: hosts 파일에서 이 도구가 표시한 블록 관리',
        'hosts add|remove|show: manage the marked block of the hosts file',
      ),
      options: [option('--address <ip>', t('추가할 이름의 주소', 'address for added names')).default('127.0.0.1')],
    },
    {
      name: 'hosts-write',
      load: () => import('./commands/hosts-write.js'),
      summary: t(
        '내부용: 표준 입력의 내용으로 hosts 파일을 씀 (도구가 sudo 로 실행)',
        'internal: write the hosts file from stdin (run under sudo by the tool itself)',
      ),
      hidden: true,
      options: [new Option('--file <path>'), new Option('--expect-sha256 <hash>')],
    },
    {
      name: 'pack <dir>',
      load: () => import('./commands/pack.js'),
      summary: t(
        '오프라인 워크숍용으로 고정된 이미지와 매니페스트를 폴더에 저장',
        'save every pinned image and manifest into a folder for offline workshops',
      ),
    },
    {
      name: 'unpack <dir>',
      load: () => import('./commands/unpack.js'),
      summary: t(
        'pack 한 폴더를 불러와 네트워크 없이 start 가 되게 함',
        'load a pack so that start works without network',
      ),
    },
    {
      name: 'probe <url>',
      load: () => import('./commands/probe.js'),
      summary: t(
        '실습을 아는 curl: 어느 파드가 답했는지, 분산, 인증서, 실패의 종류',
        'a curl that knows the labs: which pod answered, spread, certificate, kind of failure',
      ),
      options: [
        option(
          '--resolve <addr>',
          t(
            'URL 의 호스트를 찾지 않고 이 주소로 연결 (curl --resolve 처럼)',
            'connect to this address instead of resolving the URL host (like curl --resolve)',
          ),
        ),
        option('--host <name>', t('보낼 Host 헤더 (https 라면 SNI 도)', 'Host header (and SNI) to send')),
        option('--connections <n>', t('요청 수', 'number of requests')).argParser(positiveInt).default(1),
        option('--keepalive', t('모든 요청을 연결 하나로 보냄', 'send all requests on one connection')),
        option(
          '--insecure',
          t(
            '어떤 인증서든 받아들임 (curl -k 처럼); 인증서는 그래도 보여 줌',
            'accept any certificate (like curl -k); the certificate is still shown',
          ),
        ),
        option(
          '--expect-status <code>',
          t('모든 응답이 이 상태 코드가 아니면 종료 코드 1', 'exit 1 unless every answer has this status'),
        ).argParser(positiveInt),
        option('--timeout <ms>', t('요청마다 기다릴 시간(밀리초)', 'per-request timeout in milliseconds'))
          .argParser(positiveInt)
          .default(3000),
        json(),
      ],
    },
    {
      name: 'room <action> [args...]',
      load: () => import('./commands/room.js'),
      summary: t(
        'room serve|leave|import|export: 워크숍 방의 진행 현황판 (강사), 방에서 나가기 (학습자)',
        "room serve|leave|import|export: the workshop's live progress page (instructor), leaving it (learner)",
      ),
      options: [
        option(
          '--resume',
          t('serve: 지난 방의 이벤트를 다시 읽고 이어서 엶', "serve: replay the last room's events and go on"),
        ),
        option(
          '--bind <addr>',
          t(
            'serve: 열 주소 (기본: 첫 네트워크 인터페이스)',
            'serve: address to listen on (default: the first network interface)',
          ),
        ),
        option(
          '--port <n>',
          t('serve: 포트 (기본 7077, 0 이면 아무 빈 포트)', 'serve: port (default 7077; 0 picks a free one)'),
        ).argParser((v: string) => (v === '0' ? 0 : port(v))),
        option('--token <t>', t('serve: 학습자용 토큰을 직접 정함', "serve: set the learners' token yourself")),
        option('--dir <dir>', t('방의 데이터 폴더', "the room's data folder")),
        option(
          '--name <name>',
          t(
            'import: 보고서를 낸 사람의 이름 (기본: 파일 이름)',
            'import: who handed the report in (default: the file name)',
          ),
        ),
      ],
    },
    {
      name: 'convert <file>',
      load: () => import('./commands/convert.js'),
      summary: t(
        'extensions/v1beta1 Ingress 를 networking.k8s.io/v1 로 바꿔 표준 출력에 씀 (- 는 표준 입력)',
        'rewrite an extensions/v1beta1 Ingress as networking.k8s.io/v1 (stdout; - reads stdin)',
      ),
      options: [
        option(
          '--class <name>',
          t('spec.ingressClassName 도 넣음 (예: contour)', 'also set spec.ingressClassName (e.g. contour)'),
        ),
        option(
          '--to <format>',
          t(
            'v1: networking.k8s.io/v1 Ingress, gateway: Gateway API의 Gateway와 HTTPRoute (ingress2gateway 이름 규칙)',
            'v1: a networking.k8s.io/v1 Ingress; gateway: a Gateway API Gateway and HTTPRoutes (ingress2gateway naming)',
          ),
        )
          .choices(['v1', 'gateway'])
          .default('v1'),
        option(
          '--gateway-class <name>',
          t(
            '--to gateway 에서 Gateway의 gatewayClassName (기본 cloud-provider-kind)',
            "with --to gateway, the Gateway's gatewayClassName (default cloud-provider-kind)",
          ),
        ),
      ],
    },
  ];
}

/** Flags every command takes (docs/ARCHITECTURE.md, "Command line"). */
export function globalOptions(lang: Lang): Option[] {
  const option = (flags: string, text: Text) => new Option(flags, tr(text, lang));
  return [
    option('--lang <lang>', t('글의 언어: ko 또는 en', 'language of texts: ko or en'))
      .choices(['ko', 'en'])
      .argParser(parseLang),
    option('-y, --yes', t('모든 질문에 예로 답함', 'answer yes to every question')),
    option('--dry-run', t('명령을 보여 주기만 하고 실행하지 않음', 'print the commands, run none')),
    option('--verbose', t('모든 명령과 그 출력을 보여 줌', 'show every command and its output')),
    option(
      '--accessible',
      t(
        '화면 낭독기용: 다시 그리기·색 없이 줄 단위 출력, 그림은 글로 (ACCESSIBLE=1 과 같음)',
        'for screen readers: line output without redraws or colour, diagrams as text (same as ACCESSIBLE=1)',
      ),
    ),
    option('--cluster-name <name>', t('kind 클러스터 이름', 'kind cluster name')).default(DEFAULT_CLUSTER_NAME),
    option(
      '--context <name>',
      t(
        'kind 클러스터 대신 이 kubectl 컨텍스트의 기존 클러스터를 씀',
        'use this existing kubectl context instead of a kind cluster',
      ),
    ),
    option(
      '--http-port <port>',
      t('Ingress HTTP 80 번으로 이어지는 호스트 포트', 'host port for the ingress HTTP port 80'),
    )
      .argParser(port)
      .default(DEFAULT_HOST_PORTS.http),
    option(
      '--https-port <port>',
      t('Ingress HTTPS 443 번으로 이어지는 호스트 포트', 'host port for the ingress HTTPS port 443'),
    )
      .argParser(port)
      .default(DEFAULT_HOST_PORTS.https),
    option('--nodeport-port <port>', t('nodePort 30000 으로 이어지는 호스트 포트', 'host port for nodePort 30000'))
      .argParser(port)
      .default(DEFAULT_HOST_PORTS.nodePort),
    option(
      '--worker-a-port <port>',
      t('worker a 의 nodePort 30080 으로 이어지는 호스트 포트', 'host port for nodePort 30080 on worker a'),
    )
      .argParser(port)
      .default(DEFAULT_HOST_PORTS.workerA),
    option(
      '--worker-b-port <port>',
      t('worker b 의 nodePort 30080 으로 이어지는 호스트 포트', 'host port for nodePort 30080 on worker b'),
    )
      .argParser(port)
      .default(DEFAULT_HOST_PORTS.workerB),
    option('--hosts-file <path>', t('고치고 읽을 hosts 파일', 'hosts file to edit and read')),
    option(
      '--no-hosts',
      t(
        'hosts 파일을 고치지 않음: 확인은 Host 헤더와 SNI 를 대신 보냄',
        'never edit the hosts file: checks send Host headers and SNI instead',
      ),
    ),
    option(
      '--keep-on-failure',
      t('만들다 실패한 클러스터를 살펴볼 수 있게 남김', 'keep a half-made cluster for inspection'),
    ),
  ];
}

/** Commander's own headings, in the learner's language. */
export const HELP_TITLES: Record<string, Text> = {
  'Usage:': t('사용법:', 'Usage:'),
  'Options:': t('옵션:', 'Options:'),
  'Commands:': t('명령:', 'Commands:'),
  'Arguments:': t('인자:', 'Arguments:'),
  'Global Options:': t('공통 옵션:', 'Global Options:'),
};

/** `--lang` read from argv before commander runs, so the help itself is in that language. */
export function langFromArgv(argv: string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--lang') return argv[i + 1]?.toLowerCase();
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length).toLowerCase();
  }
  return undefined;
}

/**
 * commander's own error lines (commander@14 lib/command.js, lib/suggestSimilar.js) in Korean: it has no message
 * catalogue, so its fixed English sentences are matched and rewritten; anything unmatched passes through as is.
 */
const COMMANDER_ERRORS: [RegExp, string][] = [
  [/^error: unknown command '(.*)'/m, "오류: '$1' 라는 명령이 없습니다"],
  [/^error: unknown option '(.*)'/m, "오류: '$1' 라는 옵션이 없습니다"],
  [/^error: missing required argument '(.*)'/m, "오류: 필요한 인자가 빠졌습니다: '$1'"],
  [/^error: option '(.*)' argument missing/m, "오류: 옵션 '$1' 에 값이 빠졌습니다"],
  [/^error: option '(.*)' argument '(.*)' is invalid\./m, "오류: 옵션 '$1' 에는 '$2' 값을 쓸 수 없습니다."],
  [
    /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\./m,
    '오류: 인자가 너무 많습니다 ($1). $2개를 받는데 $3개가 왔습니다.',
  ],
  [/Allowed choices are (.*)\./, '고를 수 있는 값: $1.'],
  [/\(Did you mean one of (.*)\?\)/, '(혹시 이 가운데 하나인가요? $1)'],
  [/\(Did you mean (.*)\?\)/, '(혹시 $1 말인가요?)'],
];

export function commanderErrorText(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return COMMANDER_ERRORS.reduce((out, [pattern, ko]) => out.replace(pattern, ko), text);
}

/** commander's `(choices: …)` / `(default: …)` after an option's help line, in the learner's language. */
export function optionExtras(
  option: { description: string; argChoices?: string[]; defaultValue?: unknown; required: boolean; optional: boolean },
  lang: Lang,
): string {
  const extra: string[] = [];
  if (option.argChoices)
    extra.push(
      `${tr(t('고를 수 있는 값', 'choices'), lang)}: ${option.argChoices.map((c) => JSON.stringify(c)).join(', ')}`,
    );
  if (option.defaultValue !== undefined && (option.required || option.optional))
    extra.push(`${tr(t('기본값', 'default'), lang)}: ${JSON.stringify(option.defaultValue)}`);
  return extra.length ? `${option.description} (${extra.join(', ')})` : option.description;
}

/** `--lang KO`, `--lang En`: the language names are case-insensitive; anything else is a usage error in both. */
export function parseLang(value: string): Lang {
  const lang = value.toLowerCase();
  if (lang === 'ko' || lang === 'en') return lang;
  throw new InvalidArgumentError(`use ko or en / ko 또는 en 을 쓰세요.`);
}
