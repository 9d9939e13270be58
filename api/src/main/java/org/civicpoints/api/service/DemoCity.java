package org.civicpoints.api.service;

import java.util.ArrayList;
import java.util.List;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.OrgUnit.Kind;

/**
 * The demo city seeded on dev servers: two districts, each with two streets of two communities, and
 * a city party committee with one branch per district.
 */
public final class DemoCity {

  private DemoCity() {}

  public static List<OrgUnit> units() {
    List<OrgUnit> units = new ArrayList<>();
    units.add(new OrgUnit("city", Kind.CITY, "Civic City", null));
    for (String district : List.of("east", "west")) {
      String districtName = capitalised(district);
      units.add(new OrgUnit("d-" + district, Kind.DISTRICT, districtName + " District", "city"));
      for (int street = 1; street <= 2; street++) {
        String streetId = "s-" + district + "-" + street;
        units.add(
            new OrgUnit(
                streetId, Kind.STREET, districtName + " Street " + street, "d-" + district));
        for (String letter : List.of("a", "b")) {
          units.add(
              new OrgUnit(
                  "c-" + district + "-" + street + letter,
                  Kind.COMMUNITY,
                  districtName + " " + street + " Community " + letter.toUpperCase(),
                  streetId));
        }
      }
    }
    units.add(new OrgUnit("pc-city", Kind.PARTY_COMMITTEE, "City Party Committee", "city"));
    units.add(new OrgUnit("b-east-1", Kind.PARTY_BRANCH, "East Branch 1", "pc-city"));
    units.add(new OrgUnit("b-west-1", Kind.PARTY_BRANCH, "West Branch 1", "pc-city"));
    return units;
  }

  private static String capitalised(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
