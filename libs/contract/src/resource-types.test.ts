import { describe, expect, it } from 'vitest';
import {
  canonicalResourceType,
  categoryOf,
  RESOURCE_TAXONOMY,
  RESOURCE_TYPE_ALIASES,
  RESOURCE_TYPES,
  ResourceType,
} from './resource-types.js';

describe('resource taxonomy', () => {
  it('maps every canonical type to itself and its category', () => {
    for (const [category, types] of Object.entries(RESOURCE_TAXONOMY)) {
      for (const type of types) {
        expect(canonicalResourceType(type)).toBe(type);
        expect(categoryOf(type)).toBe(category);
      }
    }
    expect(new Set(RESOURCE_TYPES).size).toBe(RESOURCE_TYPES.length);
  });

  it('resolves aliases to canonical types, ignoring case, spaces and hyphens', () => {
    for (const [alias, type] of Object.entries(RESOURCE_TYPE_ALIASES)) {
      expect(RESOURCE_TYPES).toContain(type);
      expect(canonicalResourceType(alias.toUpperCase())).toBe(type);
    }
    expect(canonicalResourceType('Virtual Machine')).toBe('virtual_machine');
    expect(canonicalResourceType('layer3-switch')).toBe('layer3_switch');
  });

  it('rejects unknown types with the list of known ones', () => {
    const r = ResourceType.safeParse('toaster');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/^unknown resource type 'toaster' \(known: physical_server,/);
  });
});
