\set user random(1, 5000)
SELECT api.get_cart(api.authenticate(:user, :user));
