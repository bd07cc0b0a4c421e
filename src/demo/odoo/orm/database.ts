import { accessError, userError } from '../errors.js';
import { inSeries, type OdooSeries, type SeriesRange } from '../version.js';
import { type FieldSpec, magicFields } from './fields.js';

/**
 * A stored value as the demo keeps it: many2one as an id or `false`, x2many as an id list,
 * dates and datetimes as Odoo's strings, and `false` for any empty value.
 */
export type FieldValue = string | number | boolean | number[] | null;

/** One record of a model, keyed by field name. */
export interface DemoRecord {
  id: number;
  [field: string]: FieldValue;
}

/** Tells whether a stored value is empty in Odoo's sense (SQL NULL): `false`, `null` or `''`. */
export function isEmptyValue(value: FieldValue | undefined): boolean {
  return value === false || value === null || value === undefined || value === '';
}

export function idsOf(value: FieldValue | undefined): number[] {
  return Array.isArray(value) ? value : [];
}

export function many2oneId(value: FieldValue | undefined): number | false {
  return typeof value === 'number' ? value : false;
}

/** The definition of one model: its fields, default order and who may read it. */
export interface ModelSpec extends SeriesRange {
  name: string;
  /** The model's label, as AccessError texts print it ("Sales Order"). */
  description: string;
  /** The default order (Odoo's `_order`). */
  order: string;
  /** The field that names a record (`_rec_name`); `name` unless given. */
  recName?: string;
  /** The fields `name_search` matches (`_rec_names_search`); the rec name unless given. */
  nameSearchFields?: string[];
  /** The many2one that `child_of` and `parent_of` follow (`_parent_name`). */
  parentName?: string;
  fields: FieldSpec[];
  /** The groups that the model's access rights (ir.model.access) let read it. */
  readGroups: string[];
  /** False for models without Odoo's create/write log fields (`_log_access = False`). */
  logAccess?: boolean;
  /** Computes the stored `display_name` of a record once the database is built. */
  displayName?: (record: DemoRecord, db: DemoDatabase) => string;
}

/** A model of one series with its records. */
export class ModelTable {
  readonly fields = new Map<string, FieldSpec>();
  readonly records = new Map<number, DemoRecord>();
  private sorted: DemoRecord[] | undefined;

  constructor(
    readonly spec: ModelSpec,
    series: OdooSeries,
  ) {
    const magic = magicFields().filter(
      (definition) => spec.logAccess !== false || ['id', 'display_name'].includes(definition.name),
    );
    for (const definition of [...spec.fields, ...magic]) {
      if (inSeries(series, definition) && !this.fields.has(definition.name)) {
        this.fields.set(definition.name, definition);
      }
    }
  }

  get name(): string {
    return this.spec.name;
  }

  get recName(): string {
    return this.spec.recName ?? 'name';
  }

  get parentField(): string | undefined {
    return this.spec.parentName ?? (this.fields.has('parent_id') ? 'parent_id' : undefined);
  }

  /** Whether records can be archived, so searches skip inactive ones by default. */
  get hasActive(): boolean {
    return this.fields.get('active')?.type === 'boolean';
  }

  /** Whether the multi-company record rule applies to the model. */
  get hasCompany(): boolean {
    const company = this.fields.get('company_id');
    return company?.type === 'many2one' && company.relation === 'res.company';
  }

  field(name: string): FieldSpec | undefined {
    return this.fields.get(name);
  }

  get(id: number): DemoRecord | undefined {
    return this.records.get(id);
  }

  insert(record: DemoRecord): void {
    this.records.set(record.id, record);
    this.sorted = undefined;
  }

  /** Returns all records in id order, as a new array the caller may change. */
  all(): DemoRecord[] {
    this.sorted ??= [...this.records.values()].sort((a, b) => a.id - b.id);
    return [...this.sorted];
  }
}

/** The in-memory database of one demo: its models, records and the users' groups. */
export class DemoDatabase {
  readonly tables = new Map<string, ModelTable>();
  /** Each user's groups, implied groups included, by uid. */
  readonly userGroups = new Map<number, Set<string>>();
  /** Models the demo defines for other series only, whose data are skipped in this one. */
  readonly absentModels = new Set<string>();
  /** Each user's credentials, by uid: the login password and the API key. */
  readonly credentials = new Map<number, { password: string; apiKey: string }>();

  constructor(
    readonly name: string,
    readonly series: OdooSeries,
    specs: ModelSpec[],
  ) {
    for (const spec of specs) {
      if (inSeries(series, spec)) {
        this.tables.set(spec.name, new ModelTable(spec, series));
      } else {
        this.absentModels.add(spec.name);
      }
    }
  }

  table(name: string): ModelTable | undefined {
    return this.tables.get(name);
  }

  /** Returns the model, or raises the UserError of `execute_kw` for a model that does not exist. */
  require(name: string): ModelTable {
    const table = this.tables.get(name);
    if (table === undefined) {
      throw userError(`Object ${name} doesn't exist`);
    }
    return table;
  }
}

/** The context keys the demo honours, as sent in `kwargs.context`. */
export type Context = Record<string, unknown>;

/**
 * The environment of one call: who makes it (uid and groups), in which context, on which
 * database. It mirrors Odoo's `env` in what the demo needs.
 */
export class Env {
  readonly groups: ReadonlySet<string>;
  private companies: number[] | undefined;

  constructor(
    readonly db: DemoDatabase,
    readonly user: DemoRecord,
    readonly context: Context,
  ) {
    this.groups = db.userGroups.get(user.id) ?? new Set();
  }

  get uid(): number {
    return this.user.id;
  }

  get series(): OdooSeries {
    return this.db.series;
  }

  hasGroup(xmlid: string): boolean {
    return this.groups.has(xmlid);
  }

  /** Whether searches leave archived records out, which they do unless `active_test` is false. */
  get activeTest(): boolean {
    return this.context.active_test !== false;
  }

  /** The context's time zone, or undefined for UTC. */
  get tz(): string | undefined {
    const tz = this.context.tz;
    return typeof tz === 'string' && tz !== '' ? tz : undefined;
  }

  /**
   * Returns the companies whose records the call may see: `allowed_company_ids` from the
   * context, or all the user's companies. Like Odoo, it raises only when a rule needs them.
   */
  companyIds(): number[] {
    if (this.companies !== undefined) {
      return this.companies;
    }
    const userCompanies = idsOf(this.user.company_ids);
    const allowed = this.context.allowed_company_ids;
    if (Array.isArray(allowed) && allowed.length > 0) {
      // NOTE: the recordings have no call with foreign allowed_company_ids; text as remembered.
      if (allowed.some((id) => !userCompanies.includes(id as number))) {
        throw accessError('Access to unauthorized or invalid companies.');
      }
      this.companies = allowed as number[];
    } else {
      this.companies = userCompanies;
    }
    return this.companies;
  }
}
