/** An item the demo distributor sells: priced the same in the ERP and the storefront. */
export interface DemoItem {
  readonly sku: string;
  readonly title: string;
  /** Unit price, a decimal string (the ERP's base price). */
  readonly price: string;
  /** Units the warehouse counts in at start. */
  readonly startStock: number;
}

/** A buyer placing storefront orders. */
export interface DemoBuyer {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly address1: string;
  readonly city: string;
  readonly province: string;
  readonly zip: string;
}

/** A small distributor's range: packaging, safety and janitorial supplies. */
export const DEMO_ITEMS: readonly DemoItem[] = [
  { sku: 'PKG-TAPE-48', title: 'Packing tape 48 mm x 100 m', price: '3.20', startStock: 400 },
  { sku: 'PKG-BOX-M', title: 'Shipping box, medium (bundle of 25)', price: '18.50', startStock: 120 },
  { sku: 'PKG-WRAP-18', title: 'Stretch wrap 18 in x 1500 ft', price: '24.90', startStock: 80 },
  { sku: 'SAF-GLV-NIT-L', title: 'Nitrile gloves, large (box of 100)', price: '9.75', startStock: 250 },
  { sku: 'SAF-VEST-HV', title: 'High-visibility vest', price: '6.40', startStock: 90 },
  { sku: 'JAN-TOWEL-C', title: 'C-fold paper towels (case)', price: '31.00', startStock: 60 },
  { sku: 'JAN-LINER-55', title: 'Can liners 55 gal (case of 100)', price: '27.25', startStock: 70 },
  { sku: 'LBL-THERM-4x6', title: 'Thermal labels 4x6 (roll of 250)', price: '11.60', startStock: 150 },
];

/** Buyers with US addresses (the demo warehouse ships from Dallas). */
export const DEMO_BUYERS: readonly DemoBuyer[] = [
  { firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@example.com', address1: '1 Main St', city: 'Dallas', province: 'TX', zip: '75201' },
  {
    firstName: 'Omar',
    lastName: 'Haddad',
    email: 'omar@example.com',
    address1: '220 Elm Ave',
    city: 'Austin',
    province: 'TX',
    zip: '78701',
  },
  {
    firstName: 'Grace',
    lastName: 'Kim',
    email: 'grace.kim@example.com',
    address1: '9 Harbor Rd',
    city: 'Houston',
    province: 'TX',
    zip: '77002',
  },
  {
    firstName: 'Luis',
    lastName: 'Ortega',
    email: 'l.ortega@example.com',
    address1: '48 Pine St',
    city: 'Tulsa',
    province: 'OK',
    zip: '74103',
  },
  {
    firstName: 'Priya',
    lastName: 'Nair',
    email: 'priya@example.com',
    address1: '700 Canal St',
    city: 'New Orleans',
    province: 'LA',
    zip: '70130',
  },
  {
    firstName: 'Tom',
    lastName: 'Becker',
    email: 'tom.becker@example.com',
    address1: '15 Mill Ln',
    city: 'Denver',
    province: 'CO',
    zip: '80202',
  },
  {
    firstName: 'Mei',
    lastName: 'Chen',
    email: 'mei.chen@example.com',
    address1: '3 Bay St',
    city: 'Phoenix',
    province: 'AZ',
    zip: '85004',
  },
  {
    firstName: 'Sam',
    lastName: 'Okafor',
    email: 'sam.okafor@example.com',
    address1: '81 Oak Blvd',
    city: 'Memphis',
    province: 'TN',
    zip: '38103',
  },
];

/** The warehouse the demo 3PL runs. */
export const DEMO_WAREHOUSE = 'WH1';
