/**
 * What the DingTalk OpenAPI checks before it acts, as the fake applies it: required fields and their types, robot message keys, one-to-one recipients (at most 20),
 * card ids, string-only card params, the open space id of a card. An answer is `{code, message}` with HTTP 400,
 * the way api.dingtalk.com refuses a parameter.
 */

type Body = Record<string, unknown>;
export type Refusal = { status: number; code: string; message: string };

/** The robot message templates the bot may send (msgKey). */
export const MSG_KEYS = new Set(['sampleText', 'sampleMarkdown', 'sampleLink', 'sampleActionCard', 'sampleImageMsg']);
const MAX_OTO_USERS = 20;
/** msgParam of a robot message: DingTalk refuses bodies past about 15,000 bytes (the audit measured 10,940). */
const MAX_MSG_PARAM_BYTES = 15_000;
const OPEN_SPACE_ID = /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.[^\s;]+$/;

const bad = (code: string, message: string): Refusal => ({ status: 400, code, message });
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function robotMessageRefusal(body: Body, robotCode: string | undefined, oto: boolean): Refusal | undefined {
  if (!isStr(body.robotCode)) return bad('MissingrobotCode', 'robotCode is mandatory for this action.');
  if (robotCode && body.robotCode !== robotCode) return bad('invalidParameter.robotCode.notExist', 'robot not found');
  if (!isStr(body.msgKey) || !MSG_KEYS.has(body.msgKey)) return bad('invalidParameter.msgKey', 'msgKey is invalid');
  if (!isStr(body.msgParam)) return bad('MissingmsgParam', 'msgParam is mandatory for this action.');
  if (Buffer.byteLength(body.msgParam) > MAX_MSG_PARAM_BYTES)
    return bad('invalidParameter.msgParam', 'msgParam too long');
  let param: unknown;
  try {
    param = JSON.parse(body.msgParam);
  } catch {
    return bad('invalidParameter.msgParam', 'msgParam is not JSON');
  }
  if (body.msgKey === 'sampleMarkdown') {
    const p = param as { title?: unknown; text?: unknown };
    if (!isStr(p.title) || !isStr(p.text))
      return bad('invalidParameter.msgParam', 'sampleMarkdown needs title and text');
  }
  if (oto) {
    const ids = body.userIds;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isStr))
      return bad('MissinguserIds', 'userIds is mandatory for this action.');
    if (ids.length > MAX_OTO_USERS) return bad('invalidParameter.userIds.overMax', `at most ${MAX_OTO_USERS} userIds`);
  } else if (!isStr(body.openConversationId)) {
    return bad('MissingopenConversationId', 'openConversationId is mandatory for this action.');
  }
  return undefined;
}

function paramMapRefusal(map: unknown): Refusal | undefined {
  if (typeof map !== 'object' || map === null) return bad('MissingcardData', 'cardData.cardParamMap is mandatory');
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') return bad('invalidParameter.cardParamMap', `cardParamMap.${key} must be a string`);
  }
  return undefined;
}

export function cardCreateRefusal(body: Body, robotCode: string | undefined, routes: Set<string>): Refusal | undefined {
  if (!isStr(body.cardTemplateId)) return bad('MissingcardTemplateId', 'cardTemplateId is mandatory for this action.');
  if (!isStr(body.outTrackId)) return bad('MissingoutTrackId', 'outTrackId is mandatory for this action.');
  if (!isStr(body.openSpaceId) || !OPEN_SPACE_ID.test(body.openSpaceId))
    return bad('invalidParameter.openSpaceId', 'openSpaceId is invalid');
  const type = body.callbackType;
  if (type !== undefined && type !== 'STREAM' && type !== 'HTTP')
    return bad('invalidParameter.callbackType', 'callbackType must be STREAM or HTTP');
  if (type === 'HTTP' && (!isStr(body.callbackRouteKey) || !routes.has(body.callbackRouteKey)))
    return bad('invalidParameter.callbackRouteKey', 'callbackRouteKey is not registered');
  const refused = paramMapRefusal((body.cardData as Body | undefined)?.cardParamMap);
  if (refused) return refused;
  if (body.openSpaceId.includes('IM_GROUP.')) {
    const model = body.imGroupOpenDeliverModel as Body | undefined;
    if (!model || !isStr(model.robotCode))
      return bad('MissingrobotCode', 'imGroupOpenDeliverModel.robotCode is mandatory');
    if (robotCode && model.robotCode !== robotCode)
      return bad('invalidParameter.robotCode.notExist', 'robot not found');
    if (model.atUserIds !== undefined && (typeof model.atUserIds !== 'object' || model.atUserIds === null))
      return bad('invalidParameter.atUserIds', 'atUserIds must map user ids to names');
  }
  return undefined;
}

export function cardUpdateRefusal(body: Body): Refusal | undefined {
  if (!isStr(body.outTrackId)) return bad('MissingoutTrackId', 'outTrackId is mandatory for this action.');
  return paramMapRefusal((body.cardData as Body | undefined)?.cardParamMap);
}

export function callbackRegisterRefusal(body: Body): Refusal | undefined {
  if (!isStr(body.callbackRouteKey)) return bad('MissingcallbackRouteKey', 'callbackRouteKey is mandatory');
  if (!isStr(body.callbackUrl) || !/^https?:\/\//.test(body.callbackUrl))
    return bad('invalidParameter.callbackUrl', 'callbackUrl must be an http(s) URL');
  return undefined;
}
