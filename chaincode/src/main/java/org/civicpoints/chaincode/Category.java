package org.civicpoints.chaincode;

/** The activity families a rule awards points for; caps are counted per category. */
public enum Category {
  VOLUNTEER,
  STUDY,
  PARTY,
  CIVIC
}
