// The district → street → community tree a caller's scopes cover, for the organizers' scope
// pickers: admins and a `city` scope cover everything; a unit outside the scopes but above a
// covered one is shown, disabled, to keep the tree's shape.
import { hasRole, session } from './session.js';

/** From `listCommunities`; `leaves: false` stops at streets (a comparison needs a street or district). */
export function coveredTree(communities, { leaves = true } = {}) {
  const scopes = new Set(session.member?.scopes || []);
  const covers = (...ids) => hasRole('ADMIN') || scopes.has('city') || ids.some((id) => scopes.has(id));
  const districts = new Map();
  for (const c of communities) {
    const district = `district:${c.districtId}`;
    const street = `street:${c.streetId}`;
    const community = `community:${c.communityId}`;
    if (!covers(district, street, leaves ? community : street)) continue;
    const d = districts.get(district) || { value: district, label: c.districtName || c.districtId, children: new Map(), disabled: !covers(district) };
    districts.set(district, d);
    const s = d.children.get(street) || { value: street, label: c.streetName || c.streetId, children: [], disabled: !covers(district, street) };
    d.children.set(street, s);
    if (leaves) s.children.push({ value: community, label: c.name });
  }
  return [...districts.values()].map((d) => ({
    ...d,
    children: [...d.children.values()].map((s) => (s.children.length ? s : { ...s, children: undefined })),
  }));
}

/** The first unit of the tree the caller may choose. */
export function firstScope(nodes) {
  for (const node of nodes) {
    if (!node.disabled) return node.value;
    const inner = firstScope(node.children || []);
    if (inner) return inner;
  }
  return '';
}

/** scope → the unit's name, for districts, streets and communities. */
export function unitNames(communities) {
  const names = new Map();
  for (const c of communities) {
    names.set(`district:${c.districtId}`, c.districtName || c.districtId);
    names.set(`street:${c.streetId}`, c.streetName || c.streetId);
    names.set(`community:${c.communityId}`, c.name);
  }
  return names;
}
