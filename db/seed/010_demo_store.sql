-- Demo store loaded by `make db` into an empty database (see docs/api.md, "Demo data"):
-- 9 top-level categories with 41 sub-categories, 340 active products of Indian kids' brands
-- (2-4 images each, age range, gender, stock 0-100) and 7 coupons. Deterministic: every variety
-- (stock, discount, listing date, popularity, number of images) is derived from the product's
-- slug (its rank and an md5 of it), never from random(). Catalog only: no users, carts or orders.

-- Top-level categories.
INSERT INTO store.categories (name, slug, position)
VALUES
('Toys', 'toys', 0),
('Clothing', 'clothing', 1),
('Books', 'books', 2),
('Baby Care', 'baby-care', 3),
('Feeding', 'feeding', 4),
('School Supplies', 'school-supplies', 5),
('Outdoor & Sports', 'outdoor-sports', 6),
('Nursery & Furniture', 'nursery-furniture', 7),
('Party Supplies', 'party-supplies', 8);

-- Sub-categories, attached to their parent by slug.
INSERT INTO store.categories (parent_id, name, slug, position)
SELECT
    parent.id,
    sub.name,
    sub.slug,
    sub.position
FROM (
    VALUES
    ('toys', 'Building Blocks', 'building-blocks', 0),
    ('toys', 'Soft Toys', 'soft-toys', 1),
    ('toys', 'Dolls & Pretend Play', 'dolls-pretend-play', 2),
    ('toys', 'Vehicles & Remote Control', 'vehicles-rc', 3),
    ('toys', 'Board Games & Puzzles', 'games-puzzles', 4),
    ('toys', 'Learning & STEM Toys', 'stem-toys', 5),
    ('toys', 'Baby & Toddler Toys', 'baby-toddler-toys', 6),
    ('clothing', 'Boys', 'boys-clothing', 0),
    ('clothing', 'Girls', 'girls-clothing', 1),
    ('clothing', 'Baby', 'baby-clothing', 2),
    ('clothing', 'Footwear', 'kids-footwear', 3),
    ('books', 'Board Books', 'board-books', 0),
    ('books', 'Story Books & Comics', 'story-books', 1),
    ('books', 'Activity & Colouring Books', 'activity-books', 2),
    ('books', 'Learning & Reference', 'learning-books', 3),
    ('baby-care', 'Diapers & Wipes', 'diapers-wipes', 0),
    ('baby-care', 'Bath & Skin Care', 'bath-skin-care', 1),
    ('baby-care', 'Health & Safety', 'health-safety', 2),
    ('feeding', 'Bottles & Sterilisers', 'bottles-sterilisers', 0),
    ('feeding', 'Sippers & Cups', 'sippers-cups', 1),
    ('feeding', 'Tableware & Bibs', 'tableware-bibs', 2),
    ('feeding', 'Baby Food', 'baby-food', 3),
    ('feeding', 'Nursing', 'nursing', 4),
    ('school-supplies', 'Bags, Bottles & Lunch Boxes', 'bags-bottles-lunch-boxes', 0),
    ('school-supplies', 'Stationery', 'stationery', 1),
    ('school-supplies', 'Notebooks', 'notebooks', 2),
    ('school-supplies', 'Art & Craft', 'art-craft', 3),
    ('outdoor-sports', 'Cycles & Tricycles', 'cycles-tricycles', 0),
    ('outdoor-sports', 'Ride-ons & Scooters', 'ride-ons-scooters', 1),
    ('outdoor-sports', 'Sports Equipment', 'sports-equipment', 2),
    ('outdoor-sports', 'Swimming', 'swimming', 3),
    ('outdoor-sports', 'Outdoor Play', 'outdoor-play', 4),
    ('nursery-furniture', 'Cots & Cradles', 'cots-cradles', 0),
    ('nursery-furniture', 'Strollers & Prams', 'strollers-prams', 1),
    ('nursery-furniture', 'Car Seats & Carriers', 'car-seats-carriers', 2),
    ('nursery-furniture', 'Kids Furniture', 'kids-furniture', 3),
    ('nursery-furniture', 'Bedding', 'bedding', 4),
    ('party-supplies', 'Balloons & Decorations', 'balloons-decorations', 0),
    ('party-supplies', 'Party Tableware', 'party-tableware', 1),
    ('party-supplies', 'Return Gifts', 'return-gifts', 2),
    ('party-supplies', 'Fancy Dress Costumes', 'costumes', 3)
) AS sub (parent_slug, name, slug, position)
INNER JOIN store.categories AS parent ON sub.parent_slug = parent.slug;

-- Products, their images and their stock, in one statement.
-- Each product line lists its variants and their prices in rupees; '{v}' in the name and the
-- description patterns is replaced by the variant. The slug comes from the name. A category slug
-- that does not exist leaves category_id NULL, so a typo fails the load instead of dropping rows.
WITH line (category_slug, brand, name_pattern, age_min, age_max, gender, variants, rupees, about) AS (
    VALUES
    -- Toys > Building Blocks
    (
        'building-blocks', 'LEGO', 'LEGO City {v}', 72, 144, 'unisex',
        ARRAY['Police Station', 'Fire Station', 'Cargo Train', 'Space Base'],
        ARRAY[7999, 8999, 14999, 5499],
        'Build the LEGO City {v} and role-play everyday heroics with the included minifigures. '
        || 'Works with all LEGO bricks and comes with illustrated step-by-step instructions.'
    ),
    (
        'building-blocks', 'LEGO', 'LEGO Classic {v}', 48, 144, 'unisex',
        ARRAY[
            'Medium Creative Brick Box', 'Large Creative Brick Box', 'Bricks and Wheels', 'Creative Animals'
        ],
        ARRAY[2199, 4299, 1899, 1599],
        'The LEGO Classic {v} is packed with colourful bricks for open-ended building. An idea '
        || 'booklet gets young builders started, then their imagination takes over.'
    ),
    (
        'building-blocks', 'LEGO', 'LEGO DUPLO {v}', 18, 60, 'unisex',
        ARRAY['My First Number Train', 'Farm Tractor and Animals', 'Deluxe Brick Box'],
        ARRAY[1999, 2499, 3999],
        'Big, easy-to-grip DUPLO bricks sized for little hands. The {v} helps toddlers learn '
        || 'colours, counting and fine motor skills as they build, knock down and rebuild.'
    ),
    (
        'building-blocks', 'Zephyr', 'Zephyr Mechanix {v}', 72, 168, 'unisex',
        ARRAY['Metal Set 0', 'Metal Set 2', 'Robotix Kit'],
        ARRAY[399, 899, 1499],
        'Zephyr Mechanix {v}: real metal strips, nuts, bolts and wheels with a spanner and '
        || 'screwdriver. A classic made-in-India construction set that teaches basic engineering.'
    ),
    (
        'building-blocks', 'Mega Bloks', 'Mega Bloks First Builders {v}', 12, 60, 'unisex',
        ARRAY['Big Building Bag 60 Pieces', 'Build n Learn Table', 'Lil Vehicles'],
        ARRAY[1499, 3999, 999],
        'Mega Bloks First Builders {v} with chunky, colourful blocks that babies and toddlers '
        || 'can stack and pull apart easily. Encourages early creativity and hand-eye coordination.'
    ),
    -- Toys > Soft Toys
    (
        'soft-toys', 'Hamleys', 'Hamleys {v} Soft Toy', 12, 216, 'unisex',
        ARRAY['Teddy Bear 30 cm', 'Bunny 25 cm', 'Unicorn 35 cm', 'Elephant 28 cm', 'Penguin 20 cm'],
        ARRAY[1299, 999, 1499, 1199, 799],
        'An irresistibly soft {v} from Hamleys, in hypoallergenic plush with safely embroidered '
        || 'eyes. Surface washable and a perfect bedtime cuddle buddy.'
    ),
    (
        'soft-toys', 'Mirada', 'Mirada {v}', 36, 216, 'unisex',
        ARRAY['Floppy Dog 35 cm', 'Cuddly Monkey 30 cm', 'Sitting Panda 25 cm'],
        ARRAY[599, 549, 499],
        'The Mirada {v} is stuffed with soft polyfill and stitched to last through years of hugs. '
        || 'A favourite birthday gift, made in India from child-safe materials.'
    ),
    -- Toys > Dolls & Pretend Play
    (
        'dolls-pretend-play', 'Barbie', 'Barbie {v}', 36, 144, 'girl',
        ARRAY[
            'Dreamhouse Adventures Doll', 'Fashionistas Doll', 'Chef Doll and Playset',
            'Dreamtopia Mermaid Doll', 'Malibu Camper'
        ],
        ARRAY[1299, 899, 1799, 1099, 5499],
        'Barbie {v} brings fashion and storytelling to life. Poseable and full of accessories, '
        || 'it lets children act out their own adventures.'
    ),
    (
        'dolls-pretend-play', 'Disney', 'Disney Princess {v} Fashion Doll', 36, 120, 'girl',
        ARRAY['Ariel', 'Rapunzel', 'Moana'],
        ARRAY[1499, 1499, 1599],
        'Disney Princess {v} fashion doll in her signature outfit, with shoes and a hair '
        || 'accessory. Re-create favourite movie moments or invent new stories.'
    ),
    (
        'dolls-pretend-play', 'Hamleys', 'Hamleys {v}', 36, 120, 'unisex',
        ARRAY['Wooden Doll House with Furniture', 'Pretend Play Kitchen Set', 'Doctor Set'],
        ARRAY[7999, 3499, 1299],
        'The Hamleys {v} invites hours of role play. Sturdy pieces and realistic details help '
        || 'children build language and social skills while they pretend.'
    ),
    -- Toys > Vehicles & Remote Control
    (
        'vehicles-rc', 'Hot Wheels', 'Hot Wheels {v}', 36, 144, 'unisex',
        ARRAY['5-Car Gift Pack', 'Track Builder Unlimited Loop Kit', 'City Mega Garage'],
        ARRAY[799, 1999, 4999],
        'Hot Wheels {v}: die-cast cars in 1:64 scale built for speed, stunts and collecting. '
        || 'Connects with other Hot Wheels tracks and sets.'
    ),
    (
        'vehicles-rc', 'Centy Toys', 'Centy {v} Pull Back Toy', 36, 120, 'unisex',
        ARRAY['Mahindra Thar', 'Tata Ace', 'School Bus', 'Ambulance'],
        ARRAY[349, 299, 399, 379],
        'Made-in-India {v} pull-back toy from Centy: pull it back, let go and watch it zoom. '
        || 'Sturdy, non-toxic plastic with realistic details and doors that open.'
    ),
    (
        'vehicles-rc', 'Maisto', 'Maisto Tech RC {v}', 72, 168, 'unisex',
        ARRAY['Rock Crawler', 'Street Racer 1:24', 'Off-Road Jeep'],
        ARRAY[2499, 1799, 2999],
        'Remote-control {v} from Maisto Tech with full-function steering and a 2.4 GHz '
        || 'controller, so several cars can race together without interference.'
    ),
    -- Toys > Board Games & Puzzles
    (
        'games-puzzles', 'Funskool', 'Funskool {v}', 96, 216, 'unisex',
        ARRAY['Monopoly Classic', 'Scrabble Original', 'Cluedo'],
        ARRAY[1199, 1099, 1299],
        'Funskool {v}, the family board game classic, for 2 or more players. Great for game '
        || 'nights, building strategy, vocabulary and friendly competition.'
    ),
    (
        'games-puzzles', 'Mattel Games', 'UNO {v}', 84, 216, 'unisex',
        ARRAY['Classic Card Game', 'Flip', 'Stacko'],
        ARRAY[199, 299, 699],
        'UNO {v}: match colours and numbers, play action cards and shout UNO when one is left. '
        || 'Quick to learn and fun for the whole family.'
    ),
    (
        'games-puzzles', 'Frank', 'Frank {v} Jigsaw Puzzle', 36, 144, 'unisex',
        ARRAY[
            'India Map 108 Pieces', 'Solar System 200 Pieces', 'Animal Safari 48 Pieces',
            'Dinosaurs 60 Pieces'
        ],
        ARRAY[349, 449, 299, 329],
        'Thick, precision-cut pieces make the Frank {v} easy to assemble and hard to damage. '
        || 'An educational puzzle from a trusted Indian brand.'
    ),
    (
        'games-puzzles', 'Rubik''s', 'Rubik''s {v}', 96, 216, 'unisex',
        ARRAY['Cube 3x3', 'Cube 2x2', 'Speed Cube'],
        ARRAY[799, 599, 1199],
        'The original Rubik''s {v} with smooth turning and bright, fade-resistant tiles. '
        || 'Builds patience, memory and problem-solving skills.'
    ),
    -- Toys > Learning & STEM Toys
    (
        'stem-toys', 'Smartivity', 'Smartivity {v}', 72, 168, 'unisex',
        ARRAY['Hydraulic Crane', 'Robotic Mechanical Hand', 'Pinball Machine', 'Space Shuttle Launcher'],
        ARRAY[1299, 999, 1199, 1499],
        'A made-in-India STEM kit: assemble the Smartivity {v} from precision-cut wooden parts '
        || 'and discover real science through play. No glue or batteries needed.'
    ),
    (
        'stem-toys', 'Skillmatics', 'Skillmatics {v}', 48, 144, 'unisex',
        ARRAY['Guess in 10 Countries of the World', 'Dot It Reusable Activity Mats', 'Foil Fun Animals'],
        ARRAY[799, 649, 499],
        'Skillmatics {v} turns learning into a game, building reasoning, creativity and '
        || 'general knowledge. Screen-free fun designed by educators.'
    ),
    (
        'stem-toys', 'Butterfly Edufields', 'Butterfly Edufields {v} Science Kit', 96, 168, 'unisex',
        ARRAY['Solar Energy', 'Electricity and Magnetism', 'Chemistry Lab'],
        ARRAY[899, 999, 1199],
        'Hands-on {v} science kit with safe materials and an illustrated guide to 20+ '
        || 'experiments. Maps to the school science syllabus for classes 3 to 8.'
    ),
    -- Toys > Baby & Toddler Toys
    (
        'baby-toddler-toys', 'Fisher-Price', 'Fisher-Price {v}', 0, 36, 'unisex',
        ARRAY[
            'Laugh and Learn Smart Stages Puppy', 'Rock-a-Stack', 'Kick and Play Piano Gym',
            'Baby''s First Blocks'
        ],
        ARRAY[2999, 599, 4999, 799],
        'Fisher-Price {v} for babies and toddlers, with bright colours, sounds and textures '
        || 'that reward every grab, kick and discovery.'
    ),
    (
        'baby-toddler-toys', 'Funskool', 'Giggles {v}', 3, 36, 'unisex',
        ARRAY['Nesting Cups', 'Jumbo Rattle Set', 'Activity Cube', 'Stacking Ring'],
        ARRAY[349, 499, 1299, 399],
        'From Funskool''s Giggles range for infants: the {v} is BPA-free, easy to clean and '
        || 'sized for small hands. Helps develop grip and sensory skills.'
    ),
    (
        'baby-toddler-toys', 'Mee Mee', 'Mee Mee {v} Teether', 3, 24, 'unisex',
        ARRAY['Fruit Shaped', 'Water Filled', 'Silicone Ring'],
        ARRAY[199, 249, 299],
        'Soothing {v} teether from Mee Mee to ease sore gums. Food-grade, BPA-free material '
        || 'that can be chilled in the fridge for extra relief.'
    ),
    -- Clothing > Boys
    (
        'boys-clothing', 'Gini & Jony', 'Gini & Jony Boys {v}', 24, 144, 'boy',
        ARRAY['Printed Cotton T-Shirt', 'Denim Jeans', 'Checked Casual Shirt', 'Cargo Shorts'],
        ARRAY[499, 1199, 899, 699],
        'Everyday {v} for boys in soft, breathable fabric that stands up to play and washing. '
        || 'Available in sizes for 2 to 12 years.'
    ),
    (
        'boys-clothing', 'U.S. Polo Assn. Kids', 'U.S. Polo Assn. Boys {v}', 24, 168, 'boy',
        ARRAY['Polo T-Shirt', 'Chino Trousers', 'Hooded Sweatshirt'],
        ARRAY[999, 1599, 1899],
        'Smart-casual {v} for boys from U.S. Polo Assn. Kids, in premium cotton with the '
        || 'signature logo. Easy care and colourfast.'
    ),
    (
        'boys-clothing', 'Allen Solly Junior', 'Allen Solly Junior Boys {v}', 48, 168, 'boy',
        ARRAY['Solid Formal Shirt', 'Slim Fit Trousers', 'Party Blazer'],
        ARRAY[1199, 1499, 3999],
        'Sharp {v} for boys by Allen Solly Junior, ready for school functions, weddings and '
        || 'family occasions. Tailored fit with room to move.'
    ),
    (
        'boys-clothing', 'Babyhug', 'Babyhug Boys {v}', 6, 96, 'boy',
        ARRAY['Cotton Kurta Pyjama Set', 'Dhoti Kurta Set', 'Nehru Jacket Set'],
        ARRAY[899, 1099, 1499],
        'Festive {v} for little boys, perfect for Diwali, Eid, pujas and weddings. Soft cotton '
        || 'lining keeps it comfortable all day.'
    ),
    -- Clothing > Girls
    (
        'girls-clothing', 'Gini & Jony', 'Gini & Jony Girls {v}', 24, 144, 'girl',
        ARRAY['Floral Cotton Frock', 'Denim Jeggings', 'Graphic T-Shirt', 'Tiered Skirt'],
        ARRAY[999, 899, 499, 799],
        'Playful {v} for girls in soft, breathable fabric that keeps its colour wash after '
        || 'wash. Available in sizes for 2 to 12 years.'
    ),
    (
        'girls-clothing', 'Allen Solly Junior', 'Allen Solly Junior Girls {v}', 48, 168, 'girl',
        ARRAY['Party Dress', 'Embroidered Top', 'Denim Jacket'],
        ARRAY[1999, 899, 1799],
        'Stylish {v} for girls by Allen Solly Junior, made for birthday parties, outings and '
        || 'special days. Comfortable lining and easy-care fabric.'
    ),
    (
        'girls-clothing', 'Babyhug', 'Babyhug Girls {v}', 6, 96, 'girl',
        ARRAY['Lehenga Choli Set', 'Anarkali Kurta Set', 'Silk Pattu Pavadai Set'],
        ARRAY[1499, 1199, 1299],
        'Traditional {v} for little girls with festive embroidery, perfect for Diwali, Onam, '
        || 'weddings and family functions. Soft cotton lining keeps it comfortable.'
    ),
    -- Clothing > Baby
    (
        'baby-clothing', 'Babyhug', 'Babyhug Cotton {v}', 0, 24, 'unisex',
        ARRAY['Onesies Pack of 3', 'Jhabla Set Pack of 5', 'Romper', 'Mittens and Booties Set', 'Sleepsuit'],
        ARRAY[699, 599, 499, 249, 649],
        'Babyhug {v} in 100% soft cotton that is gentle on newborn skin. Easy snap or tie '
        || 'fastenings make nappy changes quick.'
    ),
    (
        'baby-clothing', 'Mothercare', 'Mothercare {v}', 0, 24, 'unisex',
        ARRAY['Organic Cotton Bodysuits Pack of 5', 'Knitted Cardigan', 'Baby Sleeping Bag'],
        ARRAY[1499, 1299, 2499],
        'Mothercare {v}, designed for comfort from the very first days. Soft, breathable '
        || 'fabric with no scratchy labels.'
    ),
    -- Clothing > Footwear
    (
        'kids-footwear', 'Crocs', 'Crocs Kids {v}', 24, 168, 'unisex',
        ARRAY['Classic Clog', 'Crocband Clog', 'LiteRide Clog'],
        ARRAY[2495, 2995, 3495],
        'Lightweight, waterproof Crocs Kids {v} with Croslite foam cushioning and a pivoting '
        || 'heel strap for a secure fit. Easy to clean after muddy play.'
    ),
    (
        'kids-footwear', 'Campus', 'Campus Kids {v}', 36, 168, 'unisex',
        ARRAY['Running Shoes', 'Velcro Sports Shoes', 'Light Up Sneakers'],
        ARRAY[899, 799, 999],
        'Campus Kids {v} with a cushioned sole and breathable mesh upper for all-day play and '
        || 'PT class. Anti-skid grip on every surface.'
    ),
    (
        'kids-footwear', 'Bata', 'Bata Kids {v}', 48, 168, 'unisex',
        ARRAY['Black School Shoes', 'Sports Sandals'],
        ARRAY[699, 549],
        'Durable Bata Kids {v} built for the school year, with a flexible sole and a secure '
        || 'strap. Trusted by Indian parents for generations.'
    ),
    (
        'kids-footwear', 'Babyhug', 'Babyhug {v}', 6, 24, 'unisex',
        ARRAY['Musical Chu Chu Shoes', 'Soft Sole Booties'],
        ARRAY[499, 399],
        'Babyhug {v} for first steps, with a soft, non-slip sole and a gentle elastic fit '
        || 'that stays on little feet.'
    ),
    -- Books > Board Books
    (
        'board-books', 'Wonder House Books', 'My First {v} Board Book', 0, 48, 'unisex',
        ARRAY['Animals', 'Numbers', 'Colours and Shapes', 'Fruits', 'Vehicles'],
        ARRAY[149, 149, 149, 149, 149],
        'My First {v} board book from Wonder House Books: bright pictures, simple words and '
        || 'thick, wipe-clean pages with rounded corners.'
    ),
    (
        'board-books', 'Ladybird', 'Ladybird {v}', 0, 36, 'unisex',
        ARRAY['Touch and Feel Farm', 'Baby Touch Peekaboo', 'First Words'],
        ARRAY[399, 449, 299],
        'Ladybird {v}: a sturdy board book with textures, flaps and bold pictures that make '
        || 'reading together a daily delight.'
    ),
    -- Books > Story Books & Comics
    (
        'story-books', 'Amar Chitra Katha', 'Amar Chitra Katha {v}', 72, 216, 'unisex',
        ARRAY['Krishna', 'Tales of Birbal', 'Panchatantra Collection', 'Shivaji', 'Tenali Raman'],
        ARRAY[149, 149, 599, 149, 149],
        'Amar Chitra Katha {v}: stories from Indian history, mythology and folklore told in '
        || 'the beloved illustrated comic format.'
    ),
    (
        'story-books', 'Tinkle', 'Tinkle {v}', 72, 216, 'unisex',
        ARRAY['Digest Volume 1', 'Suppandi Collection', 'Shikari Shambu Collection'],
        ARRAY[99, 299, 299],
        'Tinkle {v} packed with laugh-out-loud comics, puzzles and stories featuring India''s '
        || 'favourite characters.'
    ),
    (
        'story-books', 'Puffin', 'Puffin {v}', 84, 216, 'unisex',
        ARRAY[
            'Grandma''s Bag of Stories by Sudha Murty', 'Malgudi Days by R K Narayan',
            'The Blue Umbrella by Ruskin Bond'
        ],
        ARRAY[250, 299, 199],
        'Puffin edition of {v}, a much-loved classic of Indian children''s writing. Perfect '
        || 'for bedtime reading and for independent young readers.'
    ),
    (
        'story-books', 'Scholastic', 'Geronimo Stilton {v}', 72, 144, 'unisex',
        ARRAY[
            'Lost Treasure of the Emerald Eye', 'The Curse of the Cheese Pyramid',
            'Cat and Mouse in a Haunted House'
        ],
        ARRAY[299, 299, 299],
        'Geronimo Stilton in {v}: a fast-paced, colourfully illustrated adventure with the '
        || 'famous mouse journalist. Great for building reading confidence.'
    ),
    -- Books > Activity & Colouring Books
    (
        'activity-books', 'Navneet', 'Navneet {v}', 36, 120, 'unisex',
        ARRAY[
            'My Big Colouring Book', 'Dot to Dot Activity Book', 'Hindi Varnamala Writing Book',
            'Cursive Writing Book Part 1'
        ],
        ARRAY[199, 149, 120, 99],
        'Navneet {v} with graded practice pages that build pencil control, focus and '
        || 'confidence. A trusted companion for pre-school and primary learners.'
    ),
    (
        'activity-books', 'Wonder House Books', 'Wonder House {v}', 36, 120, 'unisex',
        ARRAY['Sticker Activity Book', 'Brain Boosters Puzzle Book', 'Copy Colouring Animals'],
        ARRAY[199, 249, 99],
        'Wonder House {v} full of puzzles, mazes and colouring fun that keep kids busy and '
        || 'learning on holidays and long journeys.'
    ),
    -- Books > Learning & Reference
    (
        'learning-books', 'Oxford', 'Oxford {v}', 72, 216, 'unisex',
        ARRAY['Children''s Illustrated Dictionary', 'Student Atlas for India', 'Mini School Dictionary'],
        ARRAY[595, 395, 199],
        'Oxford {v}, clear and up to date, recommended by schools across India for homework '
        || 'and project work.'
    ),
    (
        'learning-books', 'DK', 'DK {v}', 84, 216, 'unisex',
        ARRAY['Children''s Encyclopedia', 'How Things Work', 'Dinosaurs Visual Encyclopedia'],
        ARRAY[1499, 999, 1299],
        'DK {v}: stunning photographs and bite-sized facts that make curious kids want to read '
        || 'on. A reference book to keep for years.'
    ),
    -- Baby Care > Diapers & Wipes
    (
        'diapers-wipes', 'Pampers', 'Pampers {v}', 0, 36, 'unisex',
        ARRAY[
            'Premium Care Pants Small 70 Count', 'Premium Care Pants Medium 56 Count',
            'Baby Dry Pants Large 64 Count', 'Active Baby Taped Newborn 72 Count'
        ],
        ARRAY[1399, 1399, 1099, 899],
        'Pampers {v} with up to 12 hours of dryness and a soft, breathable cover that helps '
        || 'prevent rashes, day and night.'
    ),
    (
        'diapers-wipes', 'Huggies', 'Huggies {v}', 0, 36, 'unisex',
        ARRAY[
            'Wonder Pants Medium 76 Count', 'Complete Comfort Dry Pants Large 62 Count',
            'Natural Care Baby Wipes Pack of 3'
        ],
        ARRAY[1049, 1249, 299],
        'Huggies {v}, soft on delicate skin with a bubble-bed layer for comfort and '
        || 'leak-lock protection for peaceful sleep.'
    ),
    (
        'diapers-wipes', 'MamyPoko', 'MamyPoko Pants {v}', 0, 36, 'unisex',
        ARRAY['Extra Absorb Small 84 Count', 'Standard Medium 76 Count', 'All Night Absorb XL 46 Count'],
        ARRAY[849, 699, 1099],
        'MamyPoko Pants {v}: pull-up diapers that are as easy as underwear, with a crisscross '
        || 'absorbent sheet for all-round leakage protection.'
    ),
    (
        'diapers-wipes', 'Mother Sparsh', 'Mother Sparsh {v}', 0, 36, 'unisex',
        ARRAY['98% Water Baby Wipes 72 Pieces', 'Plant Powered Natural Baby Wipes Pack of 4'],
        ARRAY[199, 549],
        'Mother Sparsh {v}, plant-based and free of parabens, alcohol and fragrance. Gentle '
        || 'enough for newborn skin and nappy changes.'
    ),
    -- Baby Care > Bath & Skin Care
    (
        'bath-skin-care', 'Himalaya BabyCare', 'Himalaya {v}', 0, 48, 'unisex',
        ARRAY[
            'Baby Lotion 400 ml', 'Gentle Baby Shampoo 400 ml', 'Baby Massage Oil 200 ml',
            'Diaper Rash Cream 50 g', 'Baby Powder 400 g', 'Gentle Baby Wash 400 ml'
        ],
        ARRAY[349, 329, 245, 155, 299, 299],
        'Himalaya {v} for your baby''s delicate skin, made with natural ingredients such as '
        || 'olive oil, almond oil and aloe vera. Clinically tested and paraben free.'
    ),
    (
        'bath-skin-care', 'Johnson''s Baby', 'Johnson''s Baby {v}', 0, 48, 'unisex',
        ARRAY['No More Tears Shampoo 200 ml', 'Milk and Rice Cream 100 g', 'Top-to-Toe Wash 500 ml'],
        ARRAY[219, 199, 449],
        'Johnson''s Baby {v}, mild and hypoallergenic, designed for daily bath time and soft, '
        || 'healthy-looking baby skin.'
    ),
    (
        'bath-skin-care', 'Sebamed', 'Sebamed Baby {v}', 0, 36, 'unisex',
        ARRAY['Cleansing Bar 100 g', 'Lotion 200 ml', 'Rash Cream 100 ml'],
        ARRAY[299, 749, 799],
        'Sebamed Baby {v} with pH 5.5 to support the natural protective barrier of sensitive '
        || 'baby skin. Dermatologically tested and soap free.'
    ),
    (
        'bath-skin-care', 'Mamaearth', 'Mamaearth {v}', 0, 60, 'unisex',
        ARRAY[
            'Deeply Nourishing Baby Wash 400 ml', 'Soothing Baby Massage Oil 200 ml',
            'Daily Moisturising Baby Lotion 400 ml'
        ],
        ARRAY[499, 349, 549],
        'Mamaearth {v}, toxin-free and made with natural oils and oat extracts. Certified safe '
        || 'for babies and gentle enough for everyday use.'
    ),
    -- Baby Care > Health & Safety
    (
        'health-safety', 'Mee Mee', 'Mee Mee {v}', 0, 36, 'unisex',
        ARRAY['Nail Clipper Set', 'Digital Thermometer', 'Nasal Aspirator', 'Baby Grooming Kit'],
        ARRAY[249, 399, 299, 699],
        'Mee Mee {v} to help you care for your little one at home, safe and simple enough for '
        || 'first-time parents.'
    ),
    (
        'health-safety', 'LuvLap', 'LuvLap {v}', 0, 60, 'unisex',
        ARRAY['Corner Guards Pack of 8', 'Cabinet Safety Locks Pack of 6', 'Baby Mosquito Net'],
        ARRAY[299, 399, 999],
        'Baby-proof your home with LuvLap {v}: easy to install, no drilling needed, and tough '
        || 'enough for curious crawlers and toddlers.'
    ),
    (
        'health-safety', 'Chicco', 'Chicco {v}', 0, 36, 'unisex',
        ARRAY['Infrared Ear Thermometer', 'Bath Thermometer', 'Safety Gate'],
        ARRAY[3499, 499, 5999],
        'Chicco {v}, designed with paediatric experts for safety and peace of mind at home.'
    ),
    -- Feeding > Bottles & Sterilisers
    (
        'bottles-sterilisers', 'Philips Avent', 'Philips Avent {v}', 0, 24, 'unisex',
        ARRAY[
            'Natural Feeding Bottle 260 ml', 'Anti-colic Feeding Bottle 125 ml',
            'Natural Bottle Twin Pack 330 ml', 'Electric Steam Steriliser'
        ],
        ARRAY[849, 699, 1699, 5999],
        'Philips Avent {v}: BPA-free and designed to make feeding comfortable for baby and '
        || 'convenient for parents. Easy to clean and assemble.'
    ),
    (
        'bottles-sterilisers', 'Pigeon', 'Pigeon {v}', 0, 24, 'unisex',
        ARRAY[
            'Peristaltic Plus Wide Neck Bottle 240 ml', 'Glass Feeding Bottle 120 ml',
            'Silicone Nipple Pack of 2'
        ],
        ARRAY[599, 399, 299],
        'Pigeon {v}, with a soft nipple that mimics natural feeding and a wide neck for easy '
        || 'filling and cleaning.'
    ),
    (
        'bottles-sterilisers', 'Mee Mee', 'Mee Mee {v}', 0, 24, 'unisex',
        ARRAY[
            'Premium Steel Feeding Bottle 240 ml', 'Bottle and Nipple Cleaning Brush',
            'Anti-Colic Bottle 250 ml'
        ],
        ARRAY[549, 199, 399],
        'Mee Mee {v}, a feeding essential made from food-grade, BPA-free materials for happy, '
        || 'hygienic feeds.'
    ),
    -- Feeding > Sippers & Cups
    (
        'sippers-cups', 'Chicco', 'Chicco {v}', 6, 48, 'unisex',
        ARRAY['Easy Cup Spout Sipper 200 ml', 'Perfect Cup 200 ml', 'Insulated Straw Cup 266 ml'],
        ARRAY[599, 699, 899],
        'Chicco {v}, spill-proof and easy to hold, helping little ones move from bottle to cup '
        || 'at their own pace.'
    ),
    (
        'sippers-cups', 'LuvLap', 'LuvLap {v}', 6, 36, 'unisex',
        ARRAY['Twinkle Spout Sipper 300 ml', 'Silicone Straw Sipper 240 ml'],
        ARRAY[349, 449],
        'LuvLap {v} with twin handles and a leak-proof valve, BPA free and dishwasher safe.'
    ),
    (
        'sippers-cups', 'Pigeon', 'Pigeon {v}', 4, 24, 'unisex',
        ARRAY['Mag Mag Step Up Cup Set'],
        ARRAY[1299],
        'Pigeon {v}: one handle set and four interchangeable spouts that grow with your baby, '
        || 'from nipple to spout, straw and cup.'
    ),
    -- Feeding > Tableware & Bibs
    (
        'tableware-bibs', 'Babyhug', 'Babyhug {v}', 6, 48, 'unisex',
        ARRAY[
            'Silicone Suction Plate', 'Bamboo Fibre Dinner Set 5 Pieces', 'Waterproof Bibs Pack of 3',
            'Stainless Steel Baby Spoon Set'
        ],
        ARRAY[499, 699, 349, 299],
        'Babyhug {v} makes mealtimes with toddlers less messy. Food-safe, easy to wash and '
        || 'sized for little hands.'
    ),
    -- Feeding > Baby Food
    (
        'baby-food', 'Nestle', 'Nestle Cerelac {v}', 6, 24, 'unisex',
        ARRAY['Wheat Apple 300 g', 'Rice 300 g', 'Multigrain Dal Veg 300 g'],
        ARRAY[279, 269, 299],
        'Nestle Cerelac {v} infant cereal fortified with iron and vitamins. Mix with warm '
        || 'water for a smooth, wholesome first food.'
    ),
    (
        'baby-food', 'Slurrp Farm', 'Slurrp Farm {v}', 6, 120, 'unisex',
        ARRAY[
            'Ragi and Banana Cereal 200 g', 'Millet Puffs Cheese and Tomato', 'No Maida Millet Pancake Mix'
        ],
        ARRAY[249, 99, 299],
        'Slurrp Farm {v}, made with wholesome millets and no refined sugar or maida. Tasty '
        || 'nutrition that kids actually enjoy.'
    ),
    (
        'baby-food', 'Early Foods', 'Early Foods {v}', 6, 36, 'unisex',
        ARRAY['Sprouted Ragi Porridge Mix 200 g', 'Moong Dal Khichdi Mix 200 g'],
        ARRAY[275, 249],
        'Early Foods {v}: organic, homestyle and free of preservatives, just like a grandmother '
        || 'would make it.'
    ),
    -- Feeding > Nursing
    (
        'nursing', 'Philips Avent', 'Philips Avent {v}', 0, 12, 'unisex',
        ARRAY['Manual Breast Pump', 'Single Electric Breast Pump', 'Disposable Breast Pads Pack of 60'],
        ARRAY[3999, 11999, 699],
        'Philips Avent {v} for nursing mothers, designed for comfort and to make breastfeeding '
        || 'easier at home and on the go.'
    ),
    -- School Supplies > Bags, Bottles & Lunch Boxes
    (
        'bags-bottles-lunch-boxes', 'Skybags', 'Skybags {v} School Backpack', 72, 216, 'unisex',
        ARRAY['Squad 30 L', 'Campus 24 L', 'Junior 16 L'],
        ARRAY[1599, 1299, 999],
        'Skybags {v} school backpack with padded shoulder straps, a bottle pocket and roomy '
        || 'compartments for books and tiffin.'
    ),
    (
        'bags-bottles-lunch-boxes', 'Wildcraft', 'Wildcraft {v}', 48, 168, 'unisex',
        ARRAY['Wiki Junior Kids Backpack', 'Trolley School Bag'],
        ARRAY[1299, 2999],
        'Wildcraft {v}, built tough for the daily school run, with water-resistant fabric and '
        || 'ergonomic back padding.'
    ),
    (
        'bags-bottles-lunch-boxes', 'Milton', 'Milton {v}', 36, 216, 'unisex',
        ARRAY[
            'Kool Kid Insulated Water Bottle 400 ml', 'Steel Combi Lunch Box',
            'Pro Lunch Tiffin 3 Containers'
        ],
        ARRAY[299, 449, 699],
        'Milton {v}, leak-proof and food-grade, keeping food and water fresh through the '
        || 'school day.'
    ),
    (
        'bags-bottles-lunch-boxes', 'Cello', 'Cello {v}', 36, 216, 'unisex',
        ARRAY['Puro Kids Water Bottle 600 ml', 'Max Fresh Lunch Box'],
        ARRAY[249, 399],
        'Cello {v}, BPA free and easy for small hands to open and close. Fits neatly in any '
        || 'school bag.'
    ),
    -- School Supplies > Stationery
    (
        'stationery', 'Camlin', 'Camlin {v}', 72, 216, 'unisex',
        ARRAY['Scholar Geometry Box', 'Exam Clipboard', 'Fountain Pen Set'],
        ARRAY[199, 149, 249],
        'Camlin {v}, trusted by Indian students for exams and everyday classwork.'
    ),
    (
        'stationery', 'Doms', 'Doms {v}', 48, 216, 'unisex',
        ARRAY[
            'Zoom Ultimate Dark Pencils Pack of 10', 'Non-Toxic Eraser Pack of 20',
            'Smart Kit Stationery Set'
        ],
        ARRAY[99, 99, 299],
        'Doms {v} for neat, smudge-free school work. Non-toxic and made in India.'
    ),
    (
        'stationery', 'Apsara', 'Apsara {v}', 48, 216, 'unisex',
        ARRAY['Platinum Extra Dark Pencils Pack of 10', 'Absolute Pencils Pack of 10'],
        ARRAY[99, 120],
        'Apsara {v} with strong, dark leads that sharpen cleanly, the pencil generations of '
        || 'Indian schoolchildren grew up with.'
    ),
    -- School Supplies > Notebooks
    (
        'notebooks', 'Classmate', 'Classmate {v}', 48, 216, 'unisex',
        ARRAY[
            'Single Line Notebooks Pack of 6', 'Long Notebooks 172 Pages Pack of 12',
            'Pulse Spiral Notebook A4', 'Drawing Book A4'
        ],
        ARRAY[349, 799, 199, 99],
        'Classmate {v} with smooth, bright paper that takes ink without bleeding, made from '
        || 'responsibly sourced pulp.'
    ),
    (
        'notebooks', 'Navneet', 'Navneet Youva {v}', 48, 216, 'unisex',
        ARRAY[
            'Four Line English Notebooks Pack of 6', 'Square Ruled Maths Notebooks Pack of 6',
            'Brown Paper Book Covers 10 Sheets'
        ],
        ARRAY[299, 299, 99],
        'Navneet Youva {v} for the new school year, durable and neatly ruled for tidy '
        || 'handwriting.'
    ),
    -- School Supplies > Art & Craft
    (
        'art-craft', 'Faber-Castell', 'Faber-Castell {v}', 36, 216, 'unisex',
        ARRAY['Connector Pens 25 Shades', 'Oil Pastels 50 Shades', 'Triangular Colour Pencils 24 Shades'],
        ARRAY[225, 340, 275],
        'Faber-Castell {v} in bright, blendable colours for drawing, colouring and school art '
        || 'projects. Safe and non-toxic.'
    ),
    (
        'art-craft', 'Camlin', 'Camlin {v}', 36, 216, 'unisex',
        ARRAY['Wax Crayons 24 Shades', 'Poster Colours 10 Shades', 'Sketch Pens 24 Shades'],
        ARRAY[99, 199, 149],
        'Camlin {v} with rich, even colour for art class, chart work and creative play.'
    ),
    (
        'art-craft', 'Play-Doh', 'Play-Doh {v}', 36, 120, 'unisex',
        ARRAY['Kitchen Creations Ice Cream Truck', 'Starter Set', 'Modelling Compound 10 Pack'],
        ARRAY[3499, 999, 899],
        'Play-Doh {v}: squish, mould and create with the classic non-toxic modelling compound. '
        || 'Builds fine motor skills and imagination.'
    ),
    (
        'art-craft', 'Funskool', 'Funskool Fundough {v}', 36, 120, 'unisex',
        ARRAY['Ice Cream Set', 'Pizza Party', 'Colours Pack of 6'],
        ARRAY[699, 799, 299],
        'Funskool Fundough {v}, with soft, non-toxic dough and moulds for creative play that '
        || 'keeps little hands busy.'
    ),
    -- Outdoor & Sports > Cycles & Tricycles
    (
        'cycles-tricycles', 'Hero', 'Hero {v}', 36, 144, 'unisex',
        ARRAY['Blast 16T Kids Cycle', 'Kidster 12T with Training Wheels', 'Sprint Next 20T'],
        ARRAY[5499, 4299, 7499],
        'Hero {v} with a sturdy steel frame, padded seat and reliable brakes, sized for growing '
        || 'riders. Comes 85% assembled.'
    ),
    (
        'cycles-tricycles', 'Hercules', 'Hercules {v}', 60, 156, 'unisex',
        ARRAY['Roadeo Kids 20T', 'Roadeo Fox 16T'],
        ARRAY[8999, 6499],
        'Hercules {v}: a sporty kids bicycle with alloy rims, grippy tyres and adjustable seat '
        || 'height for confident riding.'
    ),
    (
        'cycles-tricycles', 'R for Rabbit', 'R for Rabbit {v}', 12, 48, 'unisex',
        ARRAY['Tiny Toes Jazz Tricycle', 'Lollipop Lite Tricycle'],
        ARRAY[2999, 3999],
        'R for Rabbit {v} with a parent push handle, safety harness and storage basket, for '
        || 'toddlers learning to pedal.'
    ),
    -- Outdoor & Sports > Ride-ons & Scooters
    (
        'ride-ons-scooters', 'Baybee', 'Baybee {v}', 12, 96, 'unisex',
        ARRAY['Thunder Battery Operated Ride-On Jeep', 'Rover Ride-On Car', 'Three Wheel LED Kick Scooter'],
        ARRAY[12999, 2499, 1999],
        'Baybee {v} for thrilling rides in the garden or society compound, with a sturdy body '
        || 'and child-safe design.'
    ),
    (
        'ride-ons-scooters', 'Oxelo', 'Oxelo {v}', 36, 120, 'unisex',
        ARRAY['B1 Kids Scooter', 'Play 3 Kids Scooter'],
        ARRAY[2999, 3999],
        'Oxelo {v} with a foldable frame, height-adjustable handlebar and smooth wheels for '
        || 'young riders.'
    ),
    -- Outdoor & Sports > Sports Equipment
    (
        'sports-equipment', 'Nivia', 'Nivia {v}', 60, 168, 'unisex',
        ARRAY['Shining Star Football Size 3', 'Kids Basketball Size 5'],
        ARRAY[499, 699],
        'Nivia {v}, machine-stitched for durability and built for practice at school and in '
        || 'the park.'
    ),
    (
        'sports-equipment', 'SG', 'SG {v}', 72, 168, 'unisex',
        ARRAY['Kashmir Willow Cricket Bat Size 4', 'Junior Cricket Kit'],
        ARRAY[999, 3499],
        'SG {v} for young cricketers, sized for juniors and made to last many seasons of '
        || 'gully and academy cricket.'
    ),
    (
        'sports-equipment', 'Yonex', 'Yonex {v}', 72, 216, 'unisex',
        ARRAY['GR 303 Badminton Racquet Pair', 'Mavis 350 Shuttlecocks Pack of 6'],
        ARRAY[699, 1199],
        'Yonex {v}, a favourite of school badminton players for consistent flight and feel.'
    ),
    (
        'sports-equipment', 'Cosco', 'Cosco {v}', 60, 216, 'unisex',
        ARRAY['Skipping Rope', 'Table Tennis Set', 'Volleyball'],
        ARRAY[199, 599, 649],
        'Cosco {v}, reliable sports gear for active kids, from a trusted Indian brand.'
    ),
    -- Outdoor & Sports > Swimming
    (
        'swimming', 'Speedo', 'Speedo Kids {v}', 36, 168, 'unisex',
        ARRAY['Sea Squad Swim Goggles', 'Junior Swim Cap', 'Sea Squad Armbands'],
        ARRAY[799, 499, 699],
        'Speedo Kids {v}, comfortable and safe for swimming lessons and summer pool days.'
    ),
    (
        'swimming', 'Intex', 'Intex {v}', 12, 120, 'unisex',
        ARRAY['Inflatable Baby Pool 3 ft', 'Deluxe Swim Vest', 'Family Pool 6 ft'],
        ARRAY[999, 649, 2999],
        'Intex {v}, made from durable vinyl for splashy summer fun at home. Always supervise '
        || 'children near water.'
    ),
    -- Outdoor & Sports > Outdoor Play
    (
        'outdoor-play', 'Nerf', 'Nerf {v}', 96, 216, 'unisex',
        ARRAY['Elite 2.0 Commander Blaster', 'N-Strike Elite Disruptor', 'Elite Refill 30 Darts'],
        ARRAY[1499, 1299, 599],
        'Nerf {v} for foam-dart battles in the park or backyard. Uses official Nerf Elite '
        || 'darts only.'
    ),
    (
        'outdoor-play', 'Hamleys', 'Hamleys {v}', 36, 144, 'unisex',
        ARRAY['Bubble Blaster Gun', 'Play Tent House', 'Flying Disc'],
        ARRAY[599, 1999, 299],
        'Hamleys {v} to get kids outdoors, running, laughing and playing with friends.'
    ),
    -- Nursery & Furniture > Cots & Cradles
    (
        'cots-cradles', 'R for Rabbit', 'R for Rabbit {v}', 0, 36, 'unisex',
        ARRAY['Lullabies Wooden Cradle', 'Sleepytime Baby Cot'],
        ARRAY[8999, 12999],
        'R for Rabbit {v} in solid wood with smooth, non-toxic finishes and safety rails, for '
        || 'peaceful sleep from day one.'
    ),
    (
        'cots-cradles', 'Mothercare', 'Mothercare {v}', 0, 60, 'unisex',
        ARRAY['Hampstead Cot Bed'],
        ARRAY[14999],
        'Mothercare {v}, converting from cot to toddler bed, with three base heights that '
        || 'grow with your child.'
    ),
    (
        'cots-cradles', 'LuvLap', 'LuvLap {v}', 0, 24, 'unisex',
        ARRAY['Comfy Baby Rocker', 'Portable Playpen and Travel Cot'],
        ARRAY[4999, 7999],
        'LuvLap {v}, lightweight and easy to fold, keeping baby safe and comfortable at home '
        || 'or at grandparents''.'
    ),
    -- Nursery & Furniture > Strollers & Prams
    (
        'strollers-prams', 'LuvLap', 'LuvLap {v}', 0, 36, 'unisex',
        ARRAY['Galaxy Stroller', 'Starshine Stroller', 'Elegant Baby Pram'],
        ARRAY[6999, 5499, 9999],
        'LuvLap {v} with a reclining seat, 5-point harness, canopy and storage basket, built '
        || 'for Indian roads.'
    ),
    (
        'strollers-prams', 'Chicco', 'Chicco {v}', 0, 48, 'unisex',
        ARRAY['Liteway Stroller', 'Goody Plus Compact Stroller'],
        ARRAY[12999, 14999],
        'Chicco {v}, a light, compact stroller that folds in one hand, great for travel and '
        || 'busy city life.'
    ),
    -- Nursery & Furniture > Car Seats & Carriers
    (
        'car-seats-carriers', 'Chicco', 'Chicco {v}', 0, 24, 'unisex',
        ARRAY['Easy Fit Baby Carrier', 'KeyFit Infant Car Seat'],
        ARRAY[3999, 14999],
        'Chicco {v}, designed for safety and comfort on every journey, tested to European '
        || 'safety standards.'
    ),
    (
        'car-seats-carriers', 'R for Rabbit', 'R for Rabbit {v}', 0, 48, 'unisex',
        ARRAY['Jack N Jill Convertible Car Seat', 'Hugs N Cuddles Baby Carrier'],
        ARRAY[7999, 2999],
        'R for Rabbit {v} with padded straps and ergonomic support for baby and parent alike.'
    ),
    (
        'car-seats-carriers', 'Mee Mee', 'Mee Mee {v}', 3, 36, 'unisex',
        ARRAY['2-in-1 Baby Carrier', 'Hip Seat Carrier'],
        ARRAY[1499, 1999],
        'Mee Mee {v}, with breathable padding and adjustable buckles for comfortable '
        || 'hands-free carrying.'
    ),
    -- Nursery & Furniture > Kids Furniture
    (
        'kids-furniture', 'Alex Daisy', 'Alex Daisy {v}', 24, 120, 'unisex',
        ARRAY['Wooden Study Table and Chair', 'Kids Bookshelf', 'Toy Storage Organiser'],
        ARRAY[4999, 3499, 2999],
        'Alex Daisy {v}, sized for kids with rounded edges and non-toxic paint, to keep '
        || 'the playroom neat and organised.'
    ),
    (
        'kids-furniture', 'Nilkamal', 'Nilkamal {v}', 24, 120, 'unisex',
        ARRAY['Kids Plastic Chair', 'Kids Study Table', 'Fresh Toy Box'],
        ARRAY[599, 1499, 999],
        'Nilkamal {v} in tough, easy-to-clean plastic, light enough for kids to move around '
        || 'themselves.'
    ),
    -- Nursery & Furniture > Bedding
    (
        'bedding', 'Mothercare', 'Mothercare {v}', 0, 36, 'unisex',
        ARRAY['Cotton Cot Sheets Pack of 2', 'Muslin Swaddles Pack of 3', 'Cellular Baby Blanket'],
        ARRAY[1299, 1499, 1799],
        'Mothercare {v} in soft, breathable cotton for safe and cosy sleep.'
    ),
    (
        'bedding', 'Babyhug', 'Babyhug {v}', 0, 24, 'unisex',
        ARRAY['Bedding Set with Mosquito Net', 'Rai Mustard Seed Pillow', 'Quilted Sleeping Bag'],
        ARRAY[1499, 299, 899],
        'Babyhug {v}, made with skin-friendly cotton to keep your baby comfortable through '
        || 'naps and long nights.'
    ),
    -- Party Supplies > Balloons & Decorations
    (
        'balloons-decorations', 'Party Propz', 'Party Propz {v}', 0, 216, 'unisex',
        ARRAY[
            'Happy Birthday Banner', 'Metallic Balloons Pack of 50', 'Birthday Decoration Kit',
            'LED Fairy Lights'
        ],
        ARRAY[199, 299, 799, 349],
        'Party Propz {v} to turn any room into a birthday party in minutes. Reusable and easy '
        || 'to put up.'
    ),
    (
        'balloons-decorations', 'Archies', 'Archies {v}', 0, 216, 'unisex',
        ARRAY['Number Foil Balloon 32 inch', 'Happy Birthday Cake Topper'],
        ARRAY[199, 149],
        'Archies {v}, the finishing touch for birthday cakes, photo corners and celebrations.'
    ),
    -- Party Supplies > Party Tableware
    (
        'party-tableware', 'Party Propz', 'Party Propz {v}', 0, 216, 'unisex',
        ARRAY['Paper Plates Pack of 25', 'Paper Cups Pack of 25', 'Party Hats Pack of 10'],
        ARRAY[199, 149, 199],
        'Colourful Party Propz {v}, sturdy, food-safe and disposable for easy clean-up after '
        || 'the party.'
    ),
    -- Party Supplies > Return Gifts
    (
        'return-gifts', 'Funskool', 'Funskool Return Gift {v}', 36, 144, 'unisex',
        ARRAY['Mini Puzzles Pack of 6', 'Stamp Sets Pack of 6'],
        ARRAY[599, 499],
        'Funskool Return Gift {v}, individually packed and ready to hand out to young guests '
        || 'at birthday parties.'
    ),
    (
        'return-gifts', 'Camlin', 'Camlin Art Kit Return Gift {v}', 36, 144, 'unisex',
        ARRAY['Pack of 5', 'Pack of 10'],
        ARRAY[999, 1899],
        'Camlin Art Kit Return Gift {v}: crayons, sketch pens and a colouring book in each '
        || 'kit, a useful thank-you for party guests.'
    ),
    -- Party Supplies > Fancy Dress Costumes
    (
        'costumes', 'Fancydresswale', 'Fancydresswale {v} Costume', 24, 144, 'unisex',
        ARRAY['Lord Krishna', 'Mahatma Gandhi', 'Doctor', 'Astronaut', 'Fairy Princess'],
        ARRAY[799, 599, 699, 999, 899],
        'Fancydresswale {v} costume for school fancy dress competitions, Janmashtami and annual '
        || 'days. Comfortable fabric with accessories included.'
    )
),

-- The HSN code and GST rate of each sub-category's goods (demo rates after the September 2025
-- rationalisation). A sub-category missing here leaves them NULL, so the load fails.
tax (category_slug, hsn_code, gst_rate) AS (
    VALUES
    ('building-blocks', '9503', 5), ('soft-toys', '9503', 5), ('dolls-pretend-play', '9503', 5),
    ('vehicles-rc', '9503', 5), ('games-puzzles', '9504', 5), ('stem-toys', '9503', 5),
    ('baby-toddler-toys', '9503', 5), ('boys-clothing', '6109', 5), ('girls-clothing', '6104', 5),
    ('baby-clothing', '6111', 5), ('kids-footwear', '6404', 5), ('board-books', '4903', 0),
    ('story-books', '4901', 0), ('activity-books', '4903', 0), ('learning-books', '4901', 0),
    ('diapers-wipes', '9619', 5), ('bath-skin-care', '3401', 5), ('health-safety', '3005', 5),
    ('bottles-sterilisers', '3924', 5), ('sippers-cups', '3924', 5), ('tableware-bibs', '3924', 5),
    ('baby-food', '1901', 5), ('nursing', '3924', 5), ('bags-bottles-lunch-boxes', '4202', 18),
    ('stationery', '9609', 0), ('notebooks', '4820', 0), ('art-craft', '9609', 0),
    ('cycles-tricycles', '8712', 5), ('ride-ons-scooters', '9503', 5), ('sports-equipment', '9506', 5),
    ('swimming', '9506', 5), ('outdoor-play', '9506', 5), ('cots-cradles', '9403', 18),
    ('strollers-prams', '8715', 5), ('car-seats-carriers', '9401', 18), ('kids-furniture', '9403', 18),
    ('bedding', '6302', 5), ('balloons-decorations', '9505', 5), ('party-tableware', '4823', 18),
    ('return-gifts', '9503', 5), ('costumes', '9505', 5)
),

item AS (
    SELECT
        line.category_slug,
        line.brand,
        line.age_min,
        line.age_max,
        line.gender,
        variant.rupees,
        replace(line.name_pattern, '{v}', variant.name) AS name,
        replace(line.about, '{v}', variant.name) AS description
    FROM line
    CROSS JOIN LATERAL unnest(line.variants, line.rupees) AS variant (name, rupees)
),

slugged AS (
    SELECT
        item.*,
        btrim(
            regexp_replace(regexp_replace(lower(item.name), '[''.]', '', 'g'), '[^a-z0-9]+', '-', 'g'),
            '-'
        ) AS slug
    FROM item
),

-- n, the product's rank by slug, spaces out stock levels and discounts evenly; hash, a number
-- taken from the md5 of the slug, scatters listing dates and popularity.
ranked AS (
    SELECT
        slugged.*,
        row_number() OVER (ORDER BY slugged.slug) AS n,
        ('x' || left(md5(slugged.slug), 7))::bit(28)::integer AS hash
    FROM slugged
),

-- MRP: the price marked up by a discount cycling through 0, 10, 20, 15 and 30 percent, rounded
-- up to end in 9 rupees.
marked_up AS (
    SELECT
        ranked.*,
        ceil(
            ranked.rupees * 100.0 / (100 - (ARRAY[0, 10, 20, 15, 30])[ranked.n % 5 + 1]) / 10
        )::bigint * 10 - 1 AS mrp_rupees
    FROM ranked
),

derived AS (
    SELECT
        marked_up.*,
        marked_up.rupees * 100 AS price,
        -- MRP stays within Rs 15,000: dearer products are sold at MRP.
        CASE
            WHEN marked_up.mrp_rupees BETWEEN marked_up.rupees AND 15000 THEN marked_up.mrp_rupees
            ELSE marked_up.rupees
        END * 100 AS mrp,
        -- Every 16th product is out of stock and every 16th (offset) has 1 to 4 left.
        CASE
            WHEN marked_up.n % 16 = 3 THEN 0
            WHEN marked_up.n % 16 = 9 THEN 1 + (marked_up.n / 16) % 4
            ELSE 5 + (marked_up.n * 37) % 96
        END AS on_hand,
        -- Units sold: cheaper products sell more.
        (marked_up.hash / 8760) % 1000
        * CASE
            WHEN marked_up.rupees < 500 THEN 3
            WHEN marked_up.rupees < 2000 THEN 2
            ELSE 1
        END AS sales_count,
        -- Listed at some hour of the last 365 days.
        now() - (marked_up.hash % 8760) * interval '1 hour' AS created_at,
        2 + marked_up.n % 3 AS image_count
    FROM marked_up
),

-- Ids follow the listing date, as they would in a live store.
product AS (
    INSERT INTO store.products (
        category_id, name, slug, brand, description, price, mrp, age_min_months, age_max_months,
        gender, sales_count, created_at, updated_at, hsn_code, gst_rate
    )
    SELECT
        category.id AS category_id,
        derived.name,
        derived.slug,
        derived.brand,
        derived.description,
        derived.price,
        derived.mrp,
        derived.age_min AS age_min_months,
        derived.age_max AS age_max_months,
        derived.gender,
        derived.sales_count,
        derived.created_at,
        derived.created_at AS updated_at,
        tax.hsn_code,
        tax.gst_rate
    FROM derived
    LEFT JOIN store.categories AS category ON derived.category_slug = category.slug
    LEFT JOIN tax ON derived.category_slug = tax.category_slug
    ORDER BY derived.created_at, derived.slug
    RETURNING id, slug
),

stock AS (
    INSERT INTO store.inventory (product_id, on_hand, units_sold, updated_at)
    SELECT
        product.id AS product_id,
        derived.on_hand,
        derived.sales_count AS units_sold,
        derived.created_at AS updated_at
    FROM product
    INNER JOIN derived ON product.slug = derived.slug
)

-- Two to four images each; position 0 is the thumbnail.
INSERT INTO store.product_images (product_id, url, alt, position)
SELECT
    product.id AS product_id,
    format(
        'https://img.jiokidz.example/products/%s/%s.jpg', derived.slug, image.position + 1
    ) AS url,
    derived.name
    || (ARRAY['', ', close-up view', ', shown in use', ', in its packaging'])[image.position + 1] AS alt,
    image.position
FROM product
INNER JOIN derived ON product.slug = derived.slug
CROSS JOIN LATERAL generate_series(0, derived.image_count - 1) AS image (position);

-- Coupons. WELCOME10, FLAT100, LIMITED5 and EXPIRED20 are the ones docs/api.md promises;
-- EXPIRED20 is active but its window is over. The others are valid now.
INSERT INTO store.coupons (
    code, description, discount_type, discount_value, max_discount, min_order_value,
    valid_from, valid_until, usage_limit, per_user_limit, first_order_only
)
VALUES
(
    'WELCOME10', '10% off up to ₹200, once per user', 'percentage', 10, 20000, 0,
    now() - interval '180 days', NULL, NULL, 1, FALSE
),
(
    'FLAT100', '₹100 off on orders of ₹999 or more', 'flat', 10000, NULL, 99900,
    now() - interval '90 days', NULL, NULL, NULL, FALSE
),
(
    'LIMITED5', '₹50 off, only 5 uses in total across all customers', 'flat', 5000, NULL, 0,
    now() - interval '7 days', now() + interval '180 days', 5, NULL, FALSE
),
(
    'EXPIRED20', '20% off up to ₹500 (expired)', 'percentage', 20, 50000, 0,
    now() - interval '120 days', now() - interval '60 days', NULL, NULL, FALSE
),
(
    'KIDZ15', '15% off up to ₹750 on orders of ₹2,499 or more', 'percentage', 15, 75000, 249900,
    now() - interval '30 days', now() + interval '90 days', NULL, 3, FALSE
),
(
    'BIGSAVE500', '₹500 off on orders of ₹4,999 or more', 'flat', 50000, NULL, 499900,
    now() - interval '14 days', now() + interval '60 days', NULL, 2, FALSE
),
(
    'FIRSTORDER', '₹150 off your first order of ₹699 or more', 'flat', 15000, NULL, 69900,
    now() - interval '365 days', NULL, NULL, 1, TRUE
);
