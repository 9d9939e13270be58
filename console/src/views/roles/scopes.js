// The units a scope can name, as a tree of scope values (city → district → street → community,
// and the party branches), and the name each scope value shows as.

/** The tree for a scope picker, from `listCommunities` and `listPartyBranches`. */
export function scopeTree(communities, branches, t) {
  const districts = new Map();
  for (const c of communities) {
    const d = districts.get(c.districtId) || { value: `district:${c.districtId}`, label: c.districtName || c.districtId, streets: new Map() };
    districts.set(c.districtId, d);
    const s = d.streets.get(c.streetId) || { value: `street:${c.streetId}`, label: c.streetName || c.streetId, children: [] };
    d.streets.set(c.streetId, s);
    s.children.push({ value: `community:${c.communityId}`, label: c.name });
  }
  const city = {
    value: 'city',
    label: t('access.city'),
    children: [...districts.values()].map(({ streets, ...d }) => ({ ...d, children: [...streets.values()] })),
  };
  const branchNodes = branches.map((b) => ({ value: `branch:${b.branchId}`, label: b.name }));
  return [city, { value: 'branches', label: t('access.branches'), disabled: true, children: branchNodes }];
}

/** scope value → name; a scope of a retired unit is not in the tree and shows as it is. */
export function scopeLabels(tree) {
  const all = new Map();
  const walk = (nodes) => nodes.forEach((n) => {
    all.set(n.value, n.label);
    walk(n.children || []);
  });
  walk(tree);
  return (scope) => all.get(scope) || scope;
}
