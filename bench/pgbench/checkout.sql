-- Each client has buyers of its own (run.py passes -D clients=N, first_buyer, buyer_count): no
-- cart is checked out twice at once.
\set user :first_buyer + :client_id + :clients * random(0, :buyer_count / :clients - 1)
\set product 1000 + 101 * random(0, 989) + random(1, 100)
SELECT api.add_to_cart(api.authenticate(:user, :user), :product, 1) IS NOT NULL AS added \gset
SELECT (api.create_order(api.authenticate(:user, :user), :user) ->> 'id') AS order_id \gset
SELECT api.register_payment_attempt(api.authenticate(:user, :user), :order_id, 'rzp_test_dev') IS NOT NULL AS registered \gset
SELECT api.attach_gateway_order(:user, :order_id, 'mock', 'order_P' || lpad(:order_id::text, 13, '0'), 'rzp_test_dev') IS NOT NULL AS attached \gset
SELECT api.verify_payment(api.authenticate(:user, :user), 'order_P' || lpad(:order_id::text, 13, '0'), 'pay_P' || lpad(:order_id::text, 14, '0'), encode(public.hmac('order_P' || lpad(:order_id::text, 13, '0') || '|pay_P' || lpad(:order_id::text, 14, '0'), 'dev_key_secret', 'sha256'), 'hex'), 'dev_key_secret') IS NOT NULL AS verified \gset
