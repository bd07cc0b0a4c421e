import { TtlCache } from '../util/ttl-cache.js';
import { closestNames } from './fields.js';
import type { OdooCalls } from './tool.js';

/** A model as `ir.model.get_available_models` returns it: technical name and label. */
export interface ModelName {
  model: string;
  label: string;
}

export interface ModelListCacheOptions {
  /** Maximum number of people whose model list is kept. Default 100. */
  maxEntries?: number;
  /** How long a model list is reused, in milliseconds. Default 10 minutes. */
  ttlMs?: number;
  nowMs?: () => number;
}

/**
 * Caches the models each person may read, from `ir.model.get_available_models` of Odoo's `web`
 * module. Odoo 18.0 returns the models the person's access rights let them read, leaving out
 * transient and abstract ones, and nothing at all for portal and public users. Ordinary
 * internal users may call it although they may not read `ir.model`.
 * NOTE: no recording covers 17.0 or 19.0. Their web clients' model selector calls the same
 * method, so it is assumed there; a failed call only means no suggestions.
 */
export class ModelListCache {
  private readonly entries: TtlCache<string, ModelName[]>;

  constructor(options: ModelListCacheOptions = {}) {
    const ttlMs = options.ttlMs ?? 10 * 60_000;
    this.entries = new TtlCache(options.maxEntries ?? 100, ttlMs, options.nowMs);
  }

  /** Returns the models `uid` may read, calling `get_available_models` on a miss. */
  async models(calls: OdooCalls, uid: number): Promise<ModelName[]> {
    const key = JSON.stringify([calls.server.url.href, calls.server.db, uid]);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const result = await calls.executeKw<unknown>('ir.model', 'get_available_models', []);
    const models = parseModelNames(result);
    this.entries.set(key, models);
    return models;
  }
}

/** Reads `[{ model, display_name }]`, skipping malformed entries. */
export function parseModelNames(result: unknown): ModelName[] {
  if (!Array.isArray(result)) {
    return [];
  }
  const models: ModelName[] = [];
  for (const entry of result as Array<{ model?: unknown; display_name?: unknown }>) {
    if (typeof entry?.model === 'string') {
      const label = typeof entry.display_name === 'string' ? entry.display_name : entry.model;
      models.push({ model: entry.model, label });
    }
  }
  return models;
}

/** Up to five models whose technical name or label is close to `name`, names first. */
export function similarModels(name: string, models: readonly ModelName[]): ModelName[] {
  const byName = closestNames(
    name,
    models.map((entry) => entry.model),
  );
  const byLabel = closestNames(
    name,
    models.map((entry) => entry.label),
  );
  const chosen: ModelName[] = [];
  for (const entry of models) {
    const close = byName.includes(entry.model) || byLabel.includes(entry.label);
    if (close && !chosen.includes(entry)) {
      chosen.push(entry);
    }
  }
  const rank = (entry: ModelName) => {
    const index = byName.indexOf(entry.model);
    return index === -1 ? byName.length + byLabel.indexOf(entry.label) : index;
  };
  return chosen.sort((a, b) => rank(a) - rank(b)).slice(0, 5);
}
