/** The drinks menu. */
export interface Drink {
  readonly slug: string;
  readonly name: string;
  readonly price: number;
  readonly category: 'espresso' | 'milk' | 'brewed' | 'cold' | 'tea';
  readonly description: string;
}

export const DRINKS: readonly Drink[] = [
  { slug: 'espresso', name: 'Espresso', price: 2.5, category: 'espresso', description: 'Our house blend, pulled short and sweet with a thick crema.' },
  { slug: 'doppio', name: 'Doppio', price: 3.0, category: 'espresso', description: 'A double shot for the mornings that need one.' },
  { slug: 'ristretto', name: 'Ristretto', price: 2.75, category: 'espresso', description: 'Less water, more syrup: the most concentrated cup we make.' },
  { slug: 'lungo', name: 'Lungo', price: 2.75, category: 'espresso', description: 'A long pull that brings out the bitter-chocolate notes.' },
  { slug: 'americano', name: 'Americano', price: 3.25, category: 'espresso', description: 'Two shots over hot water, for a big, clean cup.' },
  { slug: 'macchiato', name: 'Macchiato', price: 3.25, category: 'milk', description: 'Espresso marked with a spoonful of milk foam.' },
  { slug: 'cortado', name: 'Cortado', price: 3.5, category: 'milk', description: 'Equal parts espresso and warm milk, served in a glass.' },
  { slug: 'flat-white', name: 'Flat white', price: 4.0, category: 'milk', description: 'Velvety microfoam over a double ristretto.' },
  { slug: 'cappuccino', name: 'Cappuccino', price: 4.0, category: 'milk', description: 'Espresso, steamed milk and a deep cap of foam.' },
  { slug: 'latte', name: 'Latte', price: 4.25, category: 'milk', description: 'A gentle cup: espresso with plenty of steamed milk.' },
  { slug: 'mocha', name: 'Mocha', price: 4.75, category: 'milk', description: 'Espresso, dark chocolate and steamed milk.' },
  { slug: 'drip', name: 'House drip', price: 2.25, category: 'brewed', description: 'Brewed by the batch every thirty minutes, refills welcome.' },
  { slug: 'pour-over', name: 'Pour-over', price: 4.5, category: 'brewed', description: 'Single-origin beans brewed by hand, one cup at a time.' },
  { slug: 'french-press', name: 'French press', price: 5.0, category: 'brewed', description: 'A full-bodied pot for two, steeped for four minutes.' },
  { slug: 'cold-brew', name: 'Cold brew', price: 4.25, category: 'cold', description: 'Steeped for eighteen hours, smooth and low in acid.' },
  { slug: 'iced-latte', name: 'Iced latte', price: 4.5, category: 'cold', description: 'Espresso and cold milk over ice.' },
  { slug: 'affogato', name: 'Affogato', price: 5.25, category: 'cold', description: 'A scoop of vanilla gelato drowned in a hot shot.' },
  { slug: 'chai', name: 'Chai latte', price: 4.25, category: 'tea', description: 'Black tea spiced with cardamom, ginger and clove.' },
  { slug: 'matcha', name: 'Matcha latte', price: 4.75, category: 'tea', description: 'Stone-ground green tea whisked into steamed milk.' },
  { slug: 'hot-chocolate', name: 'Hot chocolate', price: 3.75, category: 'milk', description: 'Melted dark chocolate and whole milk, no powder.' },
];

/** The home page's selection. */
export function featuredDrinks(): readonly Drink[] {
  return DRINKS.filter((d) => ['flat-white', 'cold-brew', 'pour-over', 'chai'].includes(d.slug));
}
