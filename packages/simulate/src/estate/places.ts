/** Name parts for fictional hospitals (no real facility is named by these combinations on purpose). */
export const PLACES = [
  "Cedar Valley", "Willow Creek", "Pine Ridge", "Silver Lake", "Maple Grove", "Stone Harbor",
  "Aspen Hollow", "Copper Canyon", "Elk Prairie", "Fox Run", "Granite Bluff", "Heron Bay",
  "Iron Springs", "Juniper Flats", "Kestrel Point", "Lark Meadow", "Misty Falls", "North Fork",
  "Oak Terrace", "Quail Hill", "Raven Rock", "Sage Basin", "Thistle Glen", "Upland Vista",
  "Velvet Ridge", "Whistle Pine", "Yarrow Field", "Amber Plains", "Birch Haven", "Clover Bend",
];
export const KINDS = [
  "Medical Center", "Regional Hospital", "Community Hospital", "Children's Hospital",
  "Rehabilitation Hospital", "Behavioral Health Hospital", "Critical Access Hospital",
];
export const REGIONS = ["central", "east", "south", "southeast", "southwest", "west", "north", "northeast", "northwest"];
