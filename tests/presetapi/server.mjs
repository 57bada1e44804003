// HubSpot-shaped and Zendesk-shaped CRM APIs on loopback, for the presets'
// end-to-end suite (tests/e2e/presets.test.mjs, issue 19). Each answers the
// requests its shipped preset makes with the vendor's documented shapes, holds
// a small data set (several records behind one phone number, nobody behind
// another address), checks auth as the vendor does, and can be told to fail
// one kind of request (`api.fail('deals', {status, body})`) so a follow-up
// block fails while the rest of the record loads.
//
//   HubSpot (SOURCES.md section 1; HubSpot's CRM search guide):
//     POST /crm/v3/objects/{contacts|companies|deals|0-3|tickets|notes}/search, body
//     PublicObjectSearchRequest (filterGroups ORed, filters ANDed; EQ, NEQ,
//     HAS_PROPERTY, NOT_HAS_PROPERTY; `associations.contact` EQ a contact id),
//     answer CollectionResponseWithTotalSimplePublicObject; GET
//     /crm/v3/pipelines/{deals|tickets} (HubSpot's CRM pipelines guide), answer
//     CollectionResponsePipelineNoPaging (results[].stages[].{id, label}); a
//     private-app token as `Authorization: Bearer`, else 401 INVALID_AUTHENTICATION.
//   Zendesk Support (the vendor's oas.yaml; SOURCES.md section 2):
//     GET /api/v2/users/search?query=email:…|phone:… (UsersResponse),
//     GET /api/v2/users/{id} (UserResponse), GET /api/v2/search?query=type:ticket
//     requester:{id}&sort_by&sort_order (SearchResponse), GET
//     /api/v2/organizations/{id} (OrganizationResponse); PUT
//     /api/v2/tickets/{id} (UpdateTicket: a TicketUpdateRequest
//     `{"ticket": {…}}`, priority one of urgent, high, normal, low, else 422;
//     the ticket in the store is changed, the answer TicketUpdateResponse);
//     Basic auth with `{email}/token` and the API token, else 401 "Couldn't authenticate you".
//
//   import { startHubSpot, startZendesk } from './server.mjs';
//   const hub = await startHubSpot({ token: 'pat-…' });     // hub.base, hub.requests, hub.fail(…), hub.stop()
//   const zd = await startZendesk({ email: 'agent@acme.example', token: '…' });

import http from 'node:http';

const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];
export const HUBSPOT_PIPELINES = /^\/crm\/v3\/pipelines\/(deals|tickets)$/;
export const HUBSPOT_SEARCH = /^\/crm\/v3\/objects\/(contacts|companies|deals|0-3|tickets|notes|tasks)\/search$/;
export const HUBSPOT_CREATE = /^\/crm\/v3\/objects\/(notes|tasks)$/;

/** HubSpot's association type ids of the default (HUBSPOT_DEFINED) labels: note → contact, task → contact. */
export const HUBSPOT_TO_CONTACT = { notes: 202, tasks: 204 };

/**
 * What is wrong with a HubSpot create request for a note or a task (CRM v3 objects API:
 * SimplePublicObjectInputForCreate, `properties` of text values and `associations`
 * [{to: {id}, types: [{associationCategory, associationTypeId}]}]; hs_timestamp required;
 * a task's status, type and priority from HubSpot's enumerations), or null. Shared with
 * the contract suite.
 */
export function hubspotCreateProblem(req, url, body) {
  const m = HUBSPOT_CREATE.exec(url.pathname);
  if (req.method !== 'POST' || !m) return `no operation ${req.method} ${url.pathname}`;
  if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'a private-app token is sent as Authorization: Bearer';
  let b;
  try { b = JSON.parse(body); } catch { return 'the body is not JSON'; }
  if (typeof b.properties !== 'object' || b.properties === null || Array.isArray(b.properties)) return 'properties is an object';
  if (!Object.values(b.properties).every((v) => typeof v === 'string')) return 'property values are text';
  const p = b.properties;
  if (!p.hs_timestamp || Number.isNaN(Date.parse(p.hs_timestamp))) return 'hs_timestamp is required (a UTC time)';
  if (!Array.isArray(b.associations) || b.associations.length < 1) return 'associations is a list';
  for (const a of b.associations) {
    if (typeof a?.to?.id !== 'string' && typeof a?.to?.id !== 'number') return 'association.to.id';
    if (!Array.isArray(a.types) || !a.types.every((t) => ['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED'].includes(t.associationCategory) && Number.isInteger(t.associationTypeId))) return 'association types are {associationCategory, associationTypeId}';
    if (!a.types.some((t) => t.associationCategory === 'HUBSPOT_DEFINED' && t.associationTypeId === HUBSPOT_TO_CONTACT[m[1]])) return `a ${m[1].slice(0, -1)} is associated with a contact by type ${HUBSPOT_TO_CONTACT[m[1]]}`;
  }
  if (m[1] === 'notes' && typeof p.hs_note_body !== 'string') return 'hs_note_body is required';
  if (m[1] === 'tasks') {
    if (!p.hs_task_subject) return 'hs_task_subject is required';
    if (p.hs_task_status && !['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'].includes(p.hs_task_status)) return 'hs_task_status';
    if (p.hs_task_type && !['TODO', 'EMAIL', 'CALL'].includes(p.hs_task_type)) return 'hs_task_type';
    if (p.hs_task_priority && !['LOW', 'MEDIUM', 'HIGH', 'NONE'].includes(p.hs_task_priority)) return 'hs_task_priority';
  }
  return null;
}

/**
 * What is wrong with a HubSpot request, or null: a search by the
 * description's PublicObjectSearchRequest (SOURCES.md section 1), or a read
 * of an object type's pipelines (`GET /crm/v3/pipelines/{objectType}`, no
 * parameters needed, no body). Shared with the contract suite's HubSpot server.
 */
export function hubspotSearchProblem(req, url, body) {
  if (req.method === 'GET' && HUBSPOT_PIPELINES.test(url.pathname)) {
    if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'a private-app token is sent as Authorization: Bearer';
    if (body) return 'a GET has no body';
    for (const k of url.searchParams.keys()) if (k !== 'archived') return `unknown parameter ${k}`;
    return null;
  }
  if (req.method !== 'POST' || !HUBSPOT_SEARCH.test(url.pathname)) return `no operation ${req.method} ${url.pathname}`;
  if (!/^Bearer \S+$/.test(req.headers.authorization || '')) return 'a private-app token is sent as Authorization: Bearer';
  let b;
  try { b = JSON.parse(body); } catch { return 'the body is not JSON'; }
  // PublicObjectSearchRequest: after, limit, properties and sorts are required (the spec's quirk).
  for (const k of ['after', 'limit', 'properties', 'sorts']) if (!(k in b)) return `${k} is required`;
  if (typeof b.after !== 'string' || !Number.isInteger(b.limit) || b.limit > 200) return 'after is text, limit at most 200';
  if (!Array.isArray(b.properties) || !b.properties.every((p) => typeof p === 'string') || !Array.isArray(b.sorts)) return 'properties and sorts are lists';
  // Sort: {propertyName, direction ASCENDING|DESCENDING}.
  if (!b.sorts.every((x) => typeof x.propertyName === 'string' && ['ASCENDING', 'DESCENDING'].includes(x.direction))) return 'sorts are {propertyName, direction}';
  if (!Array.isArray(b.filterGroups) || b.filterGroups.length < 1 || b.filterGroups.length > 5) return 'one to five filterGroups';
  for (const g of b.filterGroups) {
    if (!Array.isArray(g.filters) || g.filters.length < 1) return 'each group has filters';
    for (const f of g.filters) {
      if (typeof f.propertyName !== 'string' || !OPERATORS.includes(f.operator) || typeof f.value !== 'string') return `filter ${JSON.stringify(f)}`;
    }
  }
  return null;
}

/** A loopback server around `handle(req, url, body) → {status, body, headers?}`; every exchange recorded. */
async function serve(name, handle, port) {
  const requests = [];
  const faults = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      let out;
      try {
        out = handle(req, url, body, faults);
      } catch (e) {
        out = { status: 500, body: { error: String(e) } };
      }
      requests.push({ method: req.method, path: url.pathname, query: url.search, body, authorization: req.headers.authorization || '', status: out.status, op: out.op || null });
      res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', ...(out.headers || {}) });
      res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
    });
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    name,
    base,
    requests,
    /** `op` answers `{status, body}` from now on (null: answers normally again). */
    fail(op, fault) {
      if (fault) faults.set(op, fault);
      else faults.delete(op);
    },
    stop: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

// ---------------------------------------------------------------- HubSpot

/** The HubSpot portal's records: contacts, and companies, deals, tickets and notes associated with contacts; its pipelines. */
export const HUBSPOT_DATA = {
  contacts: [
    // The contact's own free-text company property differs from its associated company: the panel shows the association.
    { id: '501', createdAt: '2025-03-14T09:12:40.001Z', updatedAt: '2026-11-02T14:03:11.512Z', properties: {
      email: 'mia.fischer@globex.example', firstname: 'Mia', lastname: 'Fischer', phone: '+49 30 901820', mobilephone: null,
      company: 'globex (typed by hand)', jobtitle: 'Head of Operations', city: 'Berlin', country: 'Germany' } },
    // Two people behind one office number: a phone lookup finds both.
    { id: '601', createdAt: '2025-06-01T08:00:00.000Z', updatedAt: '2026-10-20T10:00:00.000Z', properties: {
      email: 'chen.jie@harbor-logistics.example', firstname: 'Jie', lastname: 'Chen', phone: '+12065550199', mobilephone: null,
      company: 'Harbor Logistics', jobtitle: 'Accounts Payable', city: 'Seattle', country: 'United States' } },
    { id: '602', createdAt: '2025-09-12T08:00:00.000Z', updatedAt: '2026-09-30T08:41:27.000Z', properties: {
      email: 'dana.kim@harbor-logistics.example', firstname: 'Dana', lastname: 'Kim', phone: null, mobilephone: '+12065550199',
      company: 'Harbor Logistics', jobtitle: 'Operations Manager', city: 'Seattle', country: 'United States' } },
  ],
  companies: [
    { id: '3001', contacts: ['501'], properties: { name: 'Globex GmbH', domain: 'globex.example', hs_lastmodifieddate: '2026-05-05T10:38:52.000Z' } },
    { id: '3002', contacts: ['601', '602'], properties: { name: 'Harbor Logistics', domain: 'harbor-logistics.example', hs_lastmodifieddate: '2026-01-05T10:00:00.000Z' } },
  ],
  // The portal renamed one stage of the default sales pipeline; the ticket pipeline keeps HubSpot's labels.
  pipelines: {
    deals: [{ id: 'default', label: 'Sales Pipeline', displayOrder: 0, stages: [
      ['appointmentscheduled', 'Appointment Scheduled'], ['qualifiedtobuy', 'Qualified To Buy'], ['presentationscheduled', 'Presentation Scheduled'],
      ['decisionmakerboughtin', 'Decision Maker Bought-In'], ['contractsent', 'Contract out for signature'], ['closedwon', 'Closed Won'], ['closedlost', 'Closed Lost'],
    ] }],
    tickets: [{ id: '0', label: 'Support Pipeline', displayOrder: 0, stages: [['1', 'New'], ['2', 'Waiting on contact'], ['3', 'Waiting on us'], ['4', 'Closed']] }],
  },
  deals: [
    { id: '9001', contacts: ['501'], properties: { dealname: 'Globex renewal 2027', dealstage: 'contractsent', amount: '12500.50', deal_currency_code: 'EUR', closedate: '2026-12-15T00:00:00Z' } },
    { id: '9002', contacts: ['501'], properties: { dealname: 'Globex warehouse add-on', dealstage: 'appointmentscheduled', amount: '4200', deal_currency_code: 'EUR', closedate: '2027-02-01T00:00:00Z' } },
    { id: '9101', contacts: ['601', '602'], properties: { dealname: 'Harbor fleet tracking', dealstage: 'qualifiedtobuy', amount: '30000', deal_currency_code: 'USD', closedate: '2027-01-31T00:00:00Z' } },
  ],
  tickets: [
    { id: '7001', contacts: ['501'], properties: { subject: 'Parcel for ORD-2026-004211 not delivered', hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH', hs_lastmodifieddate: '2026-11-20T08:00:00.000Z' } },
    { id: '7002', contacts: ['501'], properties: { subject: 'VAT number on invoices', hs_pipeline_stage: '4', hs_ticket_priority: 'LOW', hs_lastmodifieddate: '2026-08-02T12:00:00.000Z' } },
    { id: '7101', contacts: ['601'], properties: { subject: 'Invoice address for October', hs_pipeline_stage: '2', hs_ticket_priority: 'MEDIUM', hs_lastmodifieddate: '2026-11-18T09:00:00.000Z' } },
  ],
  notes: [
    { id: '6001', contacts: ['501'], properties: { hs_note_body: 'Asked for a quote on 40 seats.', hs_timestamp: '2026-11-18T15:30:00.000Z' } },
    { id: '6101', contacts: ['601'], properties: { hs_note_body: 'Prefers invoices by post.', hs_timestamp: '2026-10-01T10:00:00.000Z' } },
  ],
};

const lower = (v) => (typeof v === 'string' ? v.toLowerCase() : v);

function hubspotMatches(record, f) {
  if (f.propertyName.startsWith('associations.')) {
    const related = f.propertyName.slice('associations.'.length);
    if (related !== 'contact') throw new Error(`associations.${related} is not in this test server`);
    const has = (record.contacts || []).includes(f.value);
    return f.operator === 'EQ' ? has : f.operator === 'NEQ' ? !has : null;
  }
  const v = f.propertyName === 'hs_object_id' ? record.id : record.properties[f.propertyName];
  const present = v !== null && v !== undefined && v !== '';
  switch (f.operator) {
    // HubSpot compares text without regard to case.
    case 'EQ': return present && lower(String(v)) === lower(f.value);
    case 'NEQ': return !present || lower(String(v)) !== lower(f.value);
    case 'HAS_PROPERTY': return present;
    case 'NOT_HAS_PROPERTY': return !present;
    default: return null;
  }
}

/** A HubSpot portal on loopback. */
export async function startHubSpot({ token, data: given = HUBSPOT_DATA, port = 0 } = {}) {
  if (!token) throw new Error('startHubSpot needs the private-app token it accepts');
  // A copy: notes and tasks written back are stored here (`hub.data.notes`, `hub.data.tasks`).
  const data = { tasks: [], ...structuredClone(given) };
  let nextId = 80001;
  const error = (status, category, message, extra = {}) => ({ status, body: { status: 'error', message, correlationId: '4f1e0c2a-0000-4000-8000-000000000000', category, ...extra } });
  const hub = await serve('HubSpot', (req, url, body, faults) => {
    // Authentication first, as HubSpot does.
    if ((req.headers.authorization || '') !== `Bearer ${token}`) {
      return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
    }
    const pipes = HUBSPOT_PIPELINES.exec(url.pathname);
    if (pipes && req.method === 'GET') {
      const op = `pipelines/${pipes[1]}`;
      const fault = faults.get(op);
      if (fault) return { op, ...fault };
      const problem = hubspotSearchProblem(req, url, body);
      if (problem) return error(400, 'VALIDATION_ERROR', problem);
      // CollectionResponsePipelineNoPaging: results[] Pipeline {id, label, displayOrder, stages[] PipelineStage, …}.
      const results = data.pipelines[pipes[1]].map((p) => ({ id: p.id, label: p.label, displayOrder: p.displayOrder, archived: false,
        createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
        stages: p.stages.map(([id, label], i) => ({ id, label, displayOrder: i, archived: false, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
          metadata: pipes[1] === 'deals' ? { isClosed: String(id.startsWith('closed')), probability: '0.5' } : { ticketState: id === '4' ? 'CLOSED' : 'OPEN' },
          createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })) }));
      return { op, status: 200, body: { results } };
    }
    const create = HUBSPOT_CREATE.exec(url.pathname);
    if (create && req.method === 'POST') {
      const problem = hubspotCreateProblem(req, url, body);
      if (problem) return error(400, 'VALIDATION_ERROR', problem);
      const type = create[1];
      const fault = faults.get(`create-${type}`);
      if (fault) return { op: `create-${type}`, ...fault };
      const b = JSON.parse(body);
      const now = new Date().toISOString();
      const record = { id: String(nextId++), contacts: b.associations.map((a) => String(a.to.id)), createdAt: now, updatedAt: now, properties: { ...b.properties, hs_createdate: now } };
      data[type].push(record);
      return { op: `create-${type}`, status: 201, body: { id: record.id, properties: { hs_object_id: record.id, ...record.properties }, createdAt: now, updatedAt: now, archived: false } };
    }
    const m = HUBSPOT_SEARCH.exec(url.pathname);
    if (!m || req.method !== 'POST') return { status: 404, body: '' };
    const problem = hubspotSearchProblem(req, url, body);
    if (problem) return error(400, 'VALIDATION_ERROR', problem);
    const type = m[1] === '0-3' ? 'deals' : m[1];
    const fault = faults.get(type);
    if (fault) return { op: type, ...fault };
    const b = JSON.parse(body);
    let matched;
    try {
      // Groups are ORed, the filters of a group ANDed.
      matched = data[type].filter((r) => b.filterGroups.some((g) => g.filters.every((f) => {
        const ok = hubspotMatches(r, f);
        if (ok === null) throw new Error(`operator ${f.operator} is not in this test server`);
        return ok;
      })));
    } catch (e) {
      return error(400, 'VALIDATION_ERROR', e.message);
    }
    for (const s of [...b.sorts].reverse()) {
      const key = (r) => String(r.properties[s.propertyName] ?? '');
      matched = [...matched].sort((x, y) => (s.direction === 'DESCENDING' ? -1 : 1) * key(x).localeCompare(key(y)));
    }
    const after = Number(b.after) || 0;
    const page = matched.slice(after, after + b.limit);
    const results = page.map((r) => ({
      id: r.id,
      // The properties asked for (null when empty), and the object's id.
      properties: Object.fromEntries([['hs_object_id', r.id], ...b.properties.map((p) => [p, r.properties[p] ?? null])]),
      createdAt: r.createdAt || '2026-01-01T00:00:00.000Z',
      updatedAt: r.updatedAt || '2026-01-01T00:00:00.000Z',
      archived: false,
    }));
    const next = after + page.length < matched.length ? { paging: { next: { after: String(after + page.length), link: `?after=${after + page.length}` } } } : {};
    return { op: type, status: 200, body: { total: matched.length, results, ...next } };
  }, port);
  /** The portal's records, notes and tasks written back included. */
  hub.data = data;
  return hub;
}

/** HubSpot's answer to a private app without a scope it needs (403 MISSING_SCOPES). */
export function hubspotMissingScope(scope) {
  return { status: 403, body: { status: 'error', message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    correlationId: '4f1e0c2a-0000-4000-8000-000000000001', errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
    links: { 'scopes': 'https://developers.hubspot.com/scopes' }, category: 'MISSING_SCOPES' } };
}

// ---------------------------------------------------------------- Zendesk

/** The Zendesk account's end users, organizations and tickets. */
export const ZENDESK_DATA = {
  users: [
    { id: 381001, name: 'Mia Fischer', email: 'mia.fischer@globex.example', phone: '+49 30 901820', shared_phone_number: false, organization_id: 3001,
      role: 'end-user', created_at: '2025-02-11T17:20:03Z', updated_at: '2026-11-01T08:41:27Z', time_zone: 'Berlin', locale: 'de', active: true, verified: true, notes: 'Key account' },
    // One office number, two people: Zendesk marks it shared.
    { id: 381101, name: 'Chen Jie', email: 'chen.jie@harbor-logistics.example', phone: '+12065550199', shared_phone_number: true, organization_id: 3002,
      role: 'end-user', created_at: '2025-06-01T08:00:00Z', updated_at: '2026-10-20T10:00:00Z', time_zone: 'Pacific Time (US & Canada)', locale: 'en-US', active: true, verified: true, notes: '' },
    { id: 381102, name: 'Dana Kim', email: 'dana.kim@harbor-logistics.example', phone: '+12065550199', shared_phone_number: true, organization_id: 3002,
      role: 'end-user', created_at: '2025-09-12T08:00:00Z', updated_at: '2026-09-30T08:41:27Z', time_zone: 'Pacific Time (US & Canada)', locale: 'en-US', active: true, verified: true, notes: '' },
  ],
  organizations: [
    { id: 3001, name: 'Globex GmbH', domain_names: ['globex.example'], details: 'Berlin', notes: '', group_id: null, shared_tickets: false, shared_comments: false, tags: ['enterprise'],
      created_at: '2025-02-11T17:20:03Z', updated_at: '2026-05-05T10:38:52Z', external_id: null, organization_fields: {} },
    { id: 3002, name: 'Harbor Logistics Inc.', domain_names: ['harbor-logistics.example'], details: 'Seattle', notes: '', group_id: null, shared_tickets: true, shared_comments: false, tags: [],
      created_at: '2025-06-01T08:00:00Z', updated_at: '2026-01-05T10:00:00Z', external_id: null, organization_fields: {} },
  ],
  tickets: [
    { id: 4521, requester_id: 381001, subject: 'Delivery of order ORD-2026-004211 delayed', status: 'open', priority: 'high', type: 'incident', created_at: '2026-11-20T09:00:00Z', updated_at: '2026-11-21T10:15:00Z' },
    { id: 4388, requester_id: 381001, subject: 'Copy of invoice for September', status: 'solved', priority: 'normal', type: 'question', created_at: '2026-10-02T12:00:00Z', updated_at: '2026-10-03T08:00:00Z' },
    { id: 4602, requester_id: 381101, subject: 'Invoice address for the October order', status: 'pending', priority: 'normal', type: 'question', created_at: '2026-11-18T09:00:00Z', updated_at: '2026-11-18T09:30:00Z' },
  ],
};

/** Zendesk search syntax, as far as the preset uses it: `key:value` terms, a quoted value, free words. */
function zendeskTerms(query) {
  const terms = [];
  for (const m of query.matchAll(/(\w+):("([^"]*)"|\S+)|(\S+)/g)) {
    if (m[4]) terms.push({ key: null, value: m[4] });
    else terms.push({ key: m[1].toLowerCase(), value: m[3] ?? m[2] });
  }
  return terms;
}

/** A Zendesk Support account on loopback. */
export async function startZendesk({ email, token, data = ZENDESK_DATA, port = 0 } = {}) {
  if (!email || !token) throw new Error('startZendesk needs the agent email and API token it accepts');
  let base = '';
  const user = (u) => ({ url: `${base}/api/v2/users/${u.id}.json`, ...u });
  const org = (o) => ({ url: `${base}/api/v2/organizations/${o.id}.json`, ...o });
  const ticket = (t) => ({ url: `${base}/api/v2/tickets/${t.id}.json`, external_id: null, via: { channel: 'email' }, raw_subject: t.subject, description: t.subject,
    recipient: 'support@acme-support.example', submitter_id: t.requester_id, assignee_id: 90001, organization_id: data.users.find((u) => u.id === t.requester_id)?.organization_id ?? null,
    group_id: 20001, tags: [], ...t, result_type: 'ticket' });
  const notFound = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
  const page = (key, items) => ({ status: 200, body: { [key]: items, next_page: null, previous_page: null, count: items.length } });
  const api = await serve('Zendesk', (req, url, body, faults) => {
    // API token: Basic base64("{email}/token:{token}").
    const auth = /^Basic (\S+)$/.exec(req.headers.authorization || '');
    const [user_, pass] = auth ? Buffer.from(auth[1], 'base64').toString('utf8').split(/:(.*)/s) : [];
    if (user_ !== `${email}/token` || pass !== token) return { status: 401, body: { error: "Couldn't authenticate you" } };
    const p = url.pathname;
    const put = /^\/api\/v2\/tickets\/(\d+)$/.exec(p);
    if (req.method === 'PUT' && put) {
      const fault = faults.get('update');
      if (fault) return { op: 'update', ...fault };
      const t = data.tickets.find((x) => String(x.id) === put[1]);
      if (!t) return { op: 'update', ...notFound };
      let b;
      try { b = JSON.parse(body); } catch { return { op: 'update', status: 400, body: { error: 'InvalidJSON' } }; }
      const input = b?.ticket;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return { op: 'update', status: 400, body: { error: 'RecordInvalid', description: 'ticket is required' } };
      if ('priority' in input && !['urgent', 'high', 'normal', 'low', null].includes(input.priority)) {
        return { op: 'update', status: 422, body: { error: 'RecordInvalid', description: 'Record validation errors', details: { priority: [{ description: `Priority: ${input.priority} is not valid` }] } } };
      }
      for (const k of ['priority', 'status', 'subject', 'tags']) if (k in input) t[k] = input[k];
      t.updated_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      return { op: 'update', status: 200, body: { audit: { events: [{ field_name: 'priority', type: 'Change', value: t.priority }] }, ticket: ticket(t) } };
    }
    if (req.method !== 'GET') return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
    let op = null;
    if (p === '/api/v2/users/search') op = 'users';
    else if (/^\/api\/v2\/users\/\d+$/.test(p)) op = 'user';
    else if (p === '/api/v2/search') op = 'search';
    else if (/^\/api\/v2\/organizations\/\d+$/.test(p)) op = 'organizations';
    else return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
    const fault = faults.get(op);
    if (fault) return { op, ...fault };
    const q = url.searchParams.get('query');
    if (op === 'users') {
      if (!q && !url.searchParams.get('external_id')) return { op, status: 400, body: { error: 'InvalidSearchParameters', description: 'query or external_id is required' } };
      const terms = zendeskTerms(q || '');
      const hits = data.users.filter((u) => terms.every((t) => {
        if (t.key === 'email') return lower(u.email) === lower(t.value);
        if (t.key === 'phone') return (u.phone || '') === t.value;
        if (t.key === null) return [u.name, u.email, u.phone, u.notes].some((v) => lower(v || '').includes(lower(t.value)));
        return false;
      }));
      return { op, ...page('users', hits.map(user)) };
    }
    if (op === 'user') {
      const u = data.users.find((x) => String(x.id) === p.split('/').pop());
      return u ? { op, status: 200, body: { user: user(u) } } : { op, ...notFound };
    }
    if (op === 'organizations') {
      const o = data.organizations.find((x) => String(x.id) === p.split('/').pop());
      return o ? { op, status: 200, body: { organization: org(o) } } : { op, ...notFound };
    }
    // ListSearchResults: type:ticket requester:<id|email>, sorted as asked.
    if (!q) return { op, status: 400, body: { error: 'InvalidSearchParameters', description: 'query is required' } };
    const terms = zendeskTerms(q);
    if (!terms.some((t) => t.key === 'type' && t.value === 'ticket')) return { op, status: 400, body: { error: 'UnsupportedSearch', description: `this test server searches tickets only: ${q}` } };
    let hits = data.tickets.filter((t) => terms.every((term) => {
      if (term.key === 'type') return true;
      if (term.key === 'requester') return String(t.requester_id) === term.value || lower(data.users.find((u) => u.id === t.requester_id)?.email) === lower(term.value);
      if (term.key === 'status') return t.status === term.value;
      return false;
    }));
    const sortBy = url.searchParams.get('sort_by') || 'relevance';
    if (!['updated_at', 'created_at', 'priority', 'status', 'ticket_type', 'relevance'].includes(sortBy)) return { op, status: 400, body: { error: 'InvalidSearchParameters', description: `sort_by ${sortBy}` } };
    if (sortBy !== 'relevance') {
      const dir = url.searchParams.get('sort_order') === 'asc' ? 1 : -1;
      hits = [...hits].sort((a, b) => dir * String(a[sortBy]).localeCompare(String(b[sortBy])));
    }
    return { op, status: 200, body: { results: hits.map(ticket), facets: null, next_page: null, previous_page: null, count: hits.length } };
  }, port);
  base = api.base;
  return api;
}
