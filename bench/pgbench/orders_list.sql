\set user random(1, 5000)
SELECT api.list_orders(api.authenticate(:user, :user));
