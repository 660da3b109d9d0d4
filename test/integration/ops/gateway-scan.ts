/**
 * A static read of src/gateways/** with the TypeScript parser (syntax only, no type checker): the public methods
 * of the gateway classes, every ACK/ECS action name passed to the OpenAPI caller, the client-node API methods the
 * cluster gateway calls, and every Kubernetes API path it builds. The permissions test compares these with what it
 * observed at run time, so code added later without being exercised there still shows up as a failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '../../..');

export interface Found {
  /** `src/gateways/cloud/ack-api.ts:201` */
  at: string;
}

export interface CloudActionUse extends Found {
  action: string;
  service: 'cs' | 'ecs';
  /** ROA only: the request path names a cluster (`/clusters/{id}…`), so RAM can scope it to cluster resources. */
  clusterScoped: boolean | undefined;
}

export interface ClientCall extends Found {
  method: string;
}

export interface KubePath extends Found {
  /** Template substitutions replaced by `x`, e.g. `/api/v1/namespaces/x/pods/x`. */
  path: string;
}

function sources(dir: string): ts.SourceFile[] {
  const abs = join(ROOT, dir);
  return readdirSync(abs)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => ts.createSourceFile(join(abs, f), readFileSync(join(abs, f), 'utf8'), ts.ScriptTarget.Latest, true));
}

function at(node: ts.Node): string {
  const sf = node.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  return `${relative(ROOT, sf.fileName)}:${line}`;
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** The text of a string or template literal, with each `${…}` replaced by `x`; undefined for anything else. */
function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((s) => `x${s.literal.text}`).join('');
  return undefined;
}

/** Public instance methods of a class, by name (constructor, private and protected ones left out). */
export function publicMethods(file: string, className: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  walk(sf, (n) => {
    if (!ts.isClassDeclaration(n) || n.name?.text !== className) return;
    for (const m of n.members) {
      if (!ts.isMethodDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
      const hidden = ts
        .getModifiers(m)
        ?.some(
          (x) =>
            x.kind === ts.SyntaxKind.PrivateKeyword ||
            x.kind === ts.SyntaxKind.ProtectedKeyword ||
            x.kind === ts.SyntaxKind.StaticKeyword,
        );
      if (!hidden) out.push(m.name.text);
    }
  });
  if (out.length === 0) throw new Error(`no class ${className} with public methods in ${file}`);
  return out;
}

/** The string-literal values a parameter of the enclosing function may take (`action: 'A' | 'B'`). */
function parameterLiterals(id: ts.Identifier): string[] | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const param = n.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
    if (!param?.type) return undefined;
    const types = ts.isUnionTypeNode(param.type) ? param.type.types : [param.type];
    const values = types.map((t) =>
      ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined,
    );
    return values.every((v): v is string => v !== undefined) ? values : undefined;
  }
  return undefined;
}

/** Every action passed to `….roa(action, …)` (CS) or `….rpc(action, …)` (ECS) under src/gateways/cloud. */
export function cloudActionUses(dir = 'src/gateways/cloud'): CloudActionUse[] {
  const out: CloudActionUse[] = [];
  for (const sf of sources(dir)) {
    walk(sf, (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
      const callee = n.expression.name.text;
      if (callee !== 'roa' && callee !== 'rpc') return;
      const first = n.arguments[0];
      let actions: string[] | undefined;
      if (first && ts.isStringLiteral(first)) actions = [first.text];
      else if (first && ts.isIdentifier(first)) actions = parameterLiterals(first);
      if (!actions) {
        throw new Error(
          `${at(n)}: the action passed to ${callee}() is not a literal or a literal-typed parameter; ` +
            'the permissions test cannot know what it calls',
        );
      }
      const path = callee === 'roa' ? literalText(n.arguments[2]) : undefined;
      for (const action of actions) {
        out.push({
          action,
          service: callee === 'roa' ? 'cs' : 'ecs',
          // RAM scopes a cluster's own paths to that cluster, `/k8s/{ClusterId}/user_config` too.
          clusterScoped: path === undefined ? undefined : /^\/(clusters|k8s)\//.test(path),
          at: at(n),
        });
      }
    });
  }
  return out;
}

/**
 * Calls on the typed client-node APIs the cluster gateway makes with `kc.makeApiClient(…)` (e.g.
 * `this.core.patchNode(…)`), by method name.
 */
export function kubeClientCalls(dir = 'src/gateways/cluster'): ClientCall[] {
  const out: ClientCall[] = [];
  for (const sf of sources(dir)) {
    const fields = new Set<string>();
    walk(sf, (n) => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(n.left) &&
        n.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        ts.isCallExpression(n.right) &&
        ts.isPropertyAccessExpression(n.right.expression) &&
        n.right.expression.name.text === 'makeApiClient'
      ) {
        fields.add(n.left.name.text);
      }
    });
    walk(sf, (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
      const receiver = n.expression.expression;
      if (
        ts.isPropertyAccessExpression(receiver) &&
        receiver.expression.kind === ts.SyntaxKind.ThisKeyword &&
        fields.has(receiver.name.text)
      ) {
        out.push({ method: n.expression.name.text, at: at(n) });
      }
    });
  }
  return out;
}

/** Every string or template literal under src/gateways/cluster that is a Kubernetes API path. */
export function kubePaths(dir = 'src/gateways/cluster'): KubePath[] {
  const out: KubePath[] = [];
  for (const sf of sources(dir)) {
    walk(sf, (n) => {
      if (ts.isTemplateSpan(n) || ts.isTemplateHead(n)) return;
      const text = literalText(n);
      if (text !== undefined && /^\/apis?\/[^/]/.test(text)) out.push({ path: text, at: at(n) });
    });
  }
  return out;
}
