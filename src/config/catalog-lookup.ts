// Questions the rest of the product asks of the catalog. The catalog is small (tens of
// features), so plain scans keep these obviously correct.
import type { Catalog, Feature } from './catalog-types.ts';

export function featureByKey(catalog: Catalog, key: string): Feature | null {
  return catalog.features.find((feature) => feature.key === key) ?? null;
}

/**
 * Which feature an alert belongs to. A sender that names the feature explicitly wins, when
 * the name is known; then the features' alert_match labels, in file order; then the default
 * route; otherwise null (the caller decides what an unroutable alert means).
 */
export function featureForLabels(
  catalog: Catalog,
  labels: Record<string, string>,
  explicitFeature: string | null,
): Feature | null {
  if (explicitFeature !== null) {
    const named = featureByKey(catalog, explicitFeature);
    if (named) return named;
  }
  const matched = catalog.features.find((feature) => {
    const value = labels[feature.alertMatch.label];
    return value !== undefined && feature.alertMatch.values.includes(value);
  });
  if (matched) return matched;
  return catalog.defaultRoute ? featureByKey(catalog, catalog.defaultRoute.feature) : null;
}

/** The catalog bound into an object, for deps that want `deps.catalog.featureByKey(key)`. */
export interface CatalogIndex {
  readonly catalog: Catalog;
  featureByKey(key: string): Feature | null;
  featureForLabels(labels: Record<string, string>, explicitFeature: string | null): Feature | null;
  /** The zone to show times in for this feature's messages. */
  timeZoneFor(feature: Feature | null): string;
}

export function indexCatalog(catalog: Catalog): CatalogIndex {
  return {
    catalog,
    featureByKey: (key) => featureByKey(catalog, key),
    featureForLabels: (labels, explicitFeature) => featureForLabels(catalog, labels, explicitFeature),
    timeZoneFor: (feature) => feature?.slack.timeZone ?? catalog.defaults.timeZone,
  };
}
