/** The stores, as a small in-memory table (the framework has no ORM; a site brings its own data). */
export interface Store {
  readonly id: number;
  readonly name: string;
  readonly city: string;
  readonly address: string;
  readonly hours: string;
}

export const STORES: readonly Store[] = [
  { id: 1, name: 'Downtown', city: 'San Diego', address: '1 Market St', hours: '7am–7pm' },
  { id: 2, name: 'Uptown', city: 'San Diego', address: '250 University Ave', hours: '7am–9pm' },
  { id: 3, name: 'Harbor', city: 'Los Angeles', address: '12 Harbor Blvd', hours: '6am–6pm' },
];

export function findStore(id: number): Store | undefined {
  return STORES.find((s) => s.id === id);
}
