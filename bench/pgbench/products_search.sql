\set word random(1, 16)
SELECT api.list_products(p_q => (ARRAY['wooden', 'musical', 'soft', 'magnetic', 'train', 'puzzle', 'teddy', 'blocks', 'kurta', 'storybook', 'tricycle', 'lego', 'funskool', 'chicco', 'crayon', 'rattle'])[:word]);
