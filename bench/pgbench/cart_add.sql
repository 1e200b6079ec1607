\set user random(1, 5000)
\set product 1000 + 101 * random(0, 989) + random(1, 100)
SELECT api.add_to_cart(api.authenticate(:user, :user), :product, 1);
