// Who lives in a synthetic household: a head, maybe a spouse, children and an aged parent, with
// names, birth dates and one address. Ages are drawn so that the whole population spreads over
// 0–100 roughly like Japan's (about 12 % under 15, 29 % over 65).
import { addDays, addYears } from "./calendar.ts";
import { FAMILY_NAMES, FOREIGN_NAMES, fullName, givenNames, type Name } from "./names.ts";
import { BUILDINGS, PREFECTURE_WEIGHTS, TOWNS, type City, type Prefecture } from "./places.ts";
import type { Random } from "./random.ts";
import type { PersonRow } from "./rows.ts";

export type Role = "head" | "spouse" | "child" | "parent";

export interface Member {
  person: PersonRow;
  role: Role;
  /** A twin registered under this member's 枝番 by mistake: their keys answer 複数該当. */
  sharesBranchWith?: Member;
}

export interface Household {
  prefecture: Prefecture;
  city: City;
  members: Member[];
}

const HEAD_AGES: readonly (readonly [readonly [number, number], number])[] = [
  [[20, 29], 9], [[30, 39], 12], [[40, 49], 16], [[50, 59], 16], [[60, 64], 8], [[65, 74], 19], [[75, 84], 14], [[85, 100], 6],
];

const CHILDREN = [[0, 35], [1, 25], [2, 30], [3, 10]] as const;

/** Makes the persons of one household, at most `room` of them, with ids from `ids`. */
export function makeHousehold(r: Random, today: string, room: number, ids: { nextPersonId(): number }): Household {
  const prefecture = r.weighted(PREFECTURE_WEIGHTS);
  const city = r.pick(prefecture.cities);
  const family = r.pickSkewed(FAMILY_NAMES);
  const building = r.chance(0.35) ? ` ${r.pick(BUILDINGS)}${family[0]}${r.int(1, 9)}0${r.int(1, 9)}号室` : "";
  const address = `${prefecture.name}${city.name}${r.pick(TOWNS)}${r.int(1, 5)}丁目${r.int(1, 30)}番${r.int(1, 20)}号${building}`;
  const home: Home = { r, today, ids, family, address, postNumber: `${city.postPrefix}-${String(r.int(0, 9999)).padStart(4, "0")}`, members: [] };
  const members = home.members;

  const [low, high] = r.weighted(HEAD_AGES);
  const headAge = r.int(low, high);
  const headSex: 1 | 2 = r.chance(0.72) ? 1 : 2;
  addMember(home, "head", headAge, headSex);
  const spouseChance = headAge < 30 ? 0.3 : headAge < 80 ? 0.7 : 0.45;
  if (members.length < room && r.chance(spouseChance)) {
    addMember(home, "spouse", Math.min(100, Math.max(18, headAge + (headSex === 1 ? r.int(-6, 2) : r.int(-2, 6)))), headSex === 1 ? 2 : 1);
  }
  if (headAge >= 22 && headAge < 65) {
    const children = r.weighted(CHILDREN);
    for (let i = 0; i < children && members.length < room; i++) {
      // Born when the head was 22–40; grown-up children over 28 have left home.
      const age = headAge - r.int(22, 40);
      if (age < 0 || age > 28) continue;
      const child = addMember(home, "child", age, r.chance(0.5) ? 1 : 2);
      // About 1 % of births are twins; a fifth of those are (wrongly) given one 枝番 here.
      if (members.length < room && r.chance(0.01)) {
        const twin = addMember(home, "child", 0, r.chance(0.5) ? 1 : 2, child.person.birthdate);
        if (r.chance(0.2)) twin.sharesBranchWith = child;
      }
    }
  }
  if (members.length < room && headAge >= 40 && headAge < 65 && r.chance(0.06)) {
    addMember(home, "parent", Math.min(100, headAge + r.int(25, 35)), r.chance(0.7) ? 2 : 1);
  }
  return { prefecture, city, members };
}

interface Home {
  r: Random;
  today: string;
  ids: { nextPersonId(): number };
  family: Name;
  address: string;
  postNumber: string;
  members: Member[];
}

function addMember(home: Home, role: Role, age: number, sex: 1 | 2, birthdate = birthdateAt(home.r, home.today, age)): Member {
  const person: PersonRow = {
    person_id: home.ids.nextPersonId(),
    ...personName(home.r, home.family, sex, birthdate),
    sex,
    birthdate,
    address: home.address,
    post_number: home.postNumber,
  };
  const member: Member = { person, role };
  home.members.push(member);
  return member;
}

/** A birth date giving `age` completed years on `today`. */
function birthdateAt(r: Random, today: string, age: number): string {
  return r.day(addDays(addYears(today, -age - 1), 1), addYears(today, -age));
}

/** The name, and for a few foreign residents their registered name with the Japanese one as 通称. */
function personName(r: Random, family: Name, sex: 1 | 2, birthdate: string) {
  const japanese = fullName(family, r.pick(givenNames(sex, birthdate)));
  if (birthdate < "2005-01-01" && r.chance(0.003)) {
    const foreign = r.pick(FOREIGN_NAMES.filter(([, , s]) => s === sex));
    return { name: foreign[0], name_kana: foreign[1], name_of_other: japanese.name, name_of_other_kana: japanese.kana };
  }
  return { name: japanese.name, name_kana: japanese.kana, name_of_other: null, name_of_other_kana: null };
}
