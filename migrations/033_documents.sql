-- Filed documents (issue 16, points 4 and 5). When a concern is sent, when it is decided and when
-- a police notification is acknowledged, a PDF of it is filed to the child's folder (or to the
-- unmatched folder, until the front door matches the concern). See docs/documents.md.
--
-- The filing goes through a queue of its own, written in the send / decide / acknowledge
-- transaction, so a submission never waits on (or is lost to) a PDF; a worker renders and stores
-- each one (src/documents/worker.ts). UNIQUE (source_kind, source_id, event): each document is
-- asked for once, however often the request is retried.
create table document_filings (
  id            bigint generated always as identity primary key,
  source_kind   text not null check (source_kind in ('concern', 'encompass')),
  -- concerns.id or encompass_notifications.id
  source_id     uuid not null,
  event         text not null check (event in ('sent', 'decided', 'acknowledged')),
  -- who did it, as the document says: the organisation whose submission (or decision, or
  -- acknowledgement) it is, and the person
  organisation_id uuid not null references organisations (id),
  by_name       text not null,
  created_at    timestamptz not null default now(),
  -- not before this time: pushed back after each failed attempt (back-off)
  available_at  timestamptz not null default now(),
  -- claims so far; also fences a worker whose lease ran out from overwriting a later claim
  attempts      int not null default 0 check (attempts >= 0),
  locked_until  timestamptz,
  filed_at      timestamptz,
  -- no attempts left: shown in /metrics until someone looks (docs/operations.md)
  failed_at     timestamptz,
  -- a classified reason written by the portal (the error's name), never a message that could quote a record
  last_error    text,
  unique (source_kind, source_id, event)
);
create index document_filings_due on document_filings (id) include (available_at, locked_until, attempts)
  where filed_at is null and failed_at is null;
create index document_filings_failed on document_filings (failed_at) where failed_at is not null;

-- The bytes, behind src/documents/storage/ (put / get by key). Keys are content addresses
-- ("sha256/<hex>"), so storing the same document twice stores it once.
create table document_blobs (
  key        text primary key check (key <> ''),
  bytes      bytea not null,
  stored_at  timestamptz not null default now()
);

-- The folders' index: one row per filed document, with the SHA-256 of its bytes (checked again on
-- every download). One writer: src/access/document-records.ts.
create table documents (
  id               uuid primary key default gen_random_uuid(),
  filing_id        bigint not null references document_filings (id),
  -- a police notification about several children files one document to each child's folder
  part             int not null default 1 check (part >= 1),
  -- the child's folder; null: the unmatched folder
  child_id         uuid references children (id),
  -- the organisation whose submission it is (a concern's partner; a notification's force)
  organisation_id  uuid not null references organisations (id),
  source_kind      text not null,
  source_id        uuid not null,
  event            text not null,
  reference        text not null,
  name             text not null check (char_length(name) between 1 and 200),
  form_version     int not null check (form_version >= 1),
  -- the submission's or decision's own time, as the document says
  happened_at      timestamptz not null,
  storage_key      text not null,
  sha256           text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes       int not null check (size_bytes > 0),
  filed_at         timestamptz not null default now(),
  unique (filing_id, part)
);
create index documents_child on documents (child_id, filed_at) where child_id is not null;
create index documents_unmatched on documents (filed_at) where child_id is null;
create index documents_organisation on documents (organisation_id, filed_at);
create index documents_source on documents (source_kind, source_id);

-- Downloading a document and exporting a folder are logged.
alter table access_log drop constraint access_log_action_check;
alter table access_log add constraint access_log_action_check
  check (action in ('view_summary', 'lookup', 'view_list', 'submit_concern', 'decide_concern',
                    'send_encompass', 'read_encompass', 'acknowledge_encompass',
                    'download_document', 'export_documents'));
