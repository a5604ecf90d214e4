/**
 * The 256 words of a safety code: one per byte value (index = byte). Short, distinct, plain English
 * nouns that are easy to say aloud and hard to mishear. Never reorder or change them: both ends of a
 * call must map the same byte to the same word (docs/security.md).
 */
export const SAFETY_WORDS: readonly string[] = [
  'acorn', 'album', 'alley', 'amber', 'angle', 'ankle', 'apple', 'apron', 'arena', 'arrow', 'aspen', 'atlas',
  'attic', 'award', 'bacon', 'badge', 'bagel', 'baker', 'banjo', 'barn', 'basil', 'beach', 'beard', 'bench',
  'berry', 'bike', 'birch', 'bison', 'blade', 'blimp', 'block', 'bloom', 'board', 'boat', 'boot', 'bread',
  'brick', 'brook', 'broom', 'brush', 'bucket', 'cabin', 'cable', 'cactus', 'camel', 'candy', 'canoe', 'canvas',
  'cargo', 'carpet', 'castle', 'cedar', 'chalk', 'charm', 'cheese', 'cherry', 'chess', 'chili', 'chimney', 'cider',
  'cinema', 'circle', 'clay', 'cliff', 'clock', 'cloud', 'clover', 'coach', 'cocoa', 'comet', 'coral', 'cotton',
  'cougar', 'crane', 'crater', 'crayon', 'cream', 'cricket', 'crown', 'cube', 'cupcake', 'curtain', 'daisy', 'dance',
  'delta', 'denim', 'desert', 'diary', 'dinner', 'dragon', 'drum', 'eagle', 'easel', 'echo', 'elbow', 'ember',
  'engine', 'fabric', 'falcon', 'feather', 'fern', 'ferry', 'fiddle', 'field', 'flame', 'flute', 'forest', 'fossil',
  'fox', 'frost', 'garden', 'garlic', 'gecko', 'ginger', 'glacier', 'globe', 'glove', 'goose', 'grape', 'gravel',
  'guitar', 'hammer', 'harbor', 'hazel', 'helmet', 'heron', 'hockey', 'honey', 'hotel', 'igloo', 'island', 'ivory',
  'jacket', 'jaguar', 'jelly', 'jigsaw', 'juice', 'jungle', 'kayak', 'kettle', 'kiwi', 'koala', 'ladder', 'lagoon',
  'lamp', 'lantern', 'lemon', 'letter', 'lily', 'lizard', 'llama', 'lobster', 'locket', 'magnet', 'mango', 'maple',
  'marble', 'meadow', 'melon', 'mirror', 'mitten', 'monkey', 'moose', 'motor', 'muffin', 'napkin', 'needle', 'nest',
  'noodle', 'oasis', 'ocean', 'olive', 'onion', 'orange', 'orbit', 'otter', 'oven', 'owl', 'paddle', 'palace',
  'panda', 'paper', 'parrot', 'peach', 'peanut', 'pebble', 'pencil', 'pepper', 'piano', 'pickle', 'pilot', 'pizza',
  'planet', 'plum', 'pony', 'popcorn', 'potato', 'pumpkin', 'puzzle', 'quartz', 'quill', 'rabbit', 'radar', 'radio',
  'raft', 'rainbow', 'raven', 'ribbon', 'river', 'robot', 'rocket', 'saddle', 'salmon', 'sandal', 'scarf', 'shadow',
  'shell', 'silver', 'sketch', 'spider', 'spoon', 'squid', 'stamp', 'statue', 'sugar', 'summer', 'sunset', 'swan',
  'table', 'tiger', 'toast', 'tomato', 'torch', 'tower', 'tractor', 'tulip', 'tunnel', 'turtle', 'umbrella', 'valley',
  'velvet', 'violin', 'volcano', 'wagon', 'walnut', 'walrus', 'water', 'whale', 'willow', 'window', 'winter', 'wizard',
  'wolf', 'yogurt', 'zebra', 'zipper',
];
