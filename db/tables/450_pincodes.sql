-- Where the store delivers: one row per Indian PIN code it knows, with its district and state
-- (as India Post lists them), whether couriers serve it, whether cash on delivery is offered
-- there, and the promised delivery time. An address must name a known pincode in that
-- pincode's state (internal.checked_address), and checkout refuses a pincode not served
-- (internal.delivery_pincode). The rows below are a sample covering every state and union
-- territory; docs/dba.md ("Pincodes") loads India Post's full directory over them
-- (internal.load_pincodes), keeping the store's choices for pincodes already known.
CREATE TABLE store.pincodes (
    pincode text PRIMARY KEY,
    district text NOT NULL,
    state text NOT NULL,
    serviceable boolean NOT NULL DEFAULT TRUE,
    cod_allowed boolean NOT NULL DEFAULT FALSE,
    delivery_days smallint,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pincodes_pincode_format CHECK (pincode ~ '^[1-9][0-9]{5}$'),
    CONSTRAINT pincodes_district_length CHECK (char_length(district) BETWEEN 1 AND 100),
    -- The same 36 names as addresses_state_valid and internal.indian_states (a pgTAP test keeps
    -- the three equal).
    CONSTRAINT pincodes_state_valid CHECK (state IN (
        'Andaman and Nicobar Islands', 'Andhra Pradesh', 'Arunachal Pradesh', 'Assam', 'Bihar',
        'Chandigarh', 'Chhattisgarh', 'Dadra and Nagar Haveli and Daman and Diu', 'Delhi', 'Goa',
        'Gujarat', 'Haryana', 'Himachal Pradesh', 'Jammu and Kashmir', 'Jharkhand', 'Karnataka',
        'Kerala', 'Ladakh', 'Lakshadweep', 'Madhya Pradesh', 'Maharashtra', 'Manipur',
        'Meghalaya', 'Mizoram', 'Nagaland', 'Odisha', 'Puducherry', 'Punjab', 'Rajasthan',
        'Sikkim', 'Tamil Nadu', 'Telangana', 'Tripura', 'Uttar Pradesh', 'Uttarakhand',
        'West Bengal'
    )),
    CONSTRAINT pincodes_cod_needs_service CHECK (serviceable OR NOT cod_allowed),
    CONSTRAINT pincodes_delivery_days_range CHECK (delivery_days BETWEEN 1 AND 15),
    CONSTRAINT pincodes_served_have_days CHECK (NOT serviceable OR delivery_days IS NOT NULL)
);

COMMENT ON TABLE store.pincodes IS
'Indian PIN codes the store knows: district, state, whether it delivers there and offers cash on '
'delivery, and in how many days. Addresses must agree with it; checkout needs a serviceable one. '
'Sharding: reference table.';
COMMENT ON COLUMN store.pincodes.pincode IS 'Six-digit PIN code, not starting with 0.';
COMMENT ON COLUMN store.pincodes.district IS 'District, as India Post''s directory names it.';
COMMENT ON COLUMN store.pincodes.state IS
'State or union territory, spelled as in store.addresses (internal.indian_states).';
COMMENT ON COLUMN store.pincodes.serviceable IS
'The store delivers here: checkout refuses an address whose pincode is not serviceable.';
COMMENT ON COLUMN store.pincodes.cod_allowed IS
'Cash on delivery may be offered here; only where serviceable (CHECK).';
COMMENT ON COLUMN store.pincodes.delivery_days IS
'Promised days from dispatch to delivery, 1 to 15; set whenever serviceable, NULL or kept when not.';
COMMENT ON COLUMN store.pincodes.updated_at IS 'Last change, by this file, a load or a DBA.';

-- The sample: head and sub post offices of every state's and union territory's capital and
-- big cities, with a few remote ones (islands, high Himalaya, the hills of the north-east)
-- that are not served, or served without cash on delivery. Every pincode the tests, the demo
-- data and the benchmark use is here, serviceable with cash on delivery.
INSERT INTO store.pincodes AS p (
    pincode, district, state, serviceable, cod_allowed, delivery_days
)
VALUES
-- Andaman and Nicobar Islands
('744101', 'South Andaman', 'Andaman and Nicobar Islands', TRUE, FALSE, 10),
('744202', 'North and Middle Andaman', 'Andaman and Nicobar Islands', FALSE, FALSE, NULL),
('744301', 'Nicobar', 'Andaman and Nicobar Islands', FALSE, FALSE, NULL),
-- Andhra Pradesh
('520001', 'Krishna', 'Andhra Pradesh', TRUE, TRUE, 4),
('530001', 'Visakhapatnam', 'Andhra Pradesh', TRUE, TRUE, 4),
('522001', 'Guntur', 'Andhra Pradesh', TRUE, TRUE, 4),
('517501', 'Chittoor', 'Andhra Pradesh', TRUE, TRUE, 4),
('515001', 'Anantapur', 'Andhra Pradesh', TRUE, TRUE, 5),
('518001', 'Kurnool', 'Andhra Pradesh', TRUE, TRUE, 5),
('524001', 'Nellore', 'Andhra Pradesh', TRUE, TRUE, 5),
('533101', 'East Godavari', 'Andhra Pradesh', TRUE, TRUE, 5),
-- Arunachal Pradesh
('791111', 'Papum Pare', 'Arunachal Pradesh', TRUE, FALSE, 8),
('791102', 'East Siang', 'Arunachal Pradesh', TRUE, FALSE, 9),
('792001', 'Lohit', 'Arunachal Pradesh', TRUE, FALSE, 10),
('790001', 'West Kameng', 'Arunachal Pradesh', TRUE, FALSE, 10),
('790104', 'Tawang', 'Arunachal Pradesh', FALSE, FALSE, NULL),
-- Assam
('781001', 'Kamrup Metropolitan', 'Assam', TRUE, TRUE, 5),
('786001', 'Dibrugarh', 'Assam', TRUE, TRUE, 6),
('788001', 'Cachar', 'Assam', TRUE, TRUE, 6),
('785001', 'Jorhat', 'Assam', TRUE, TRUE, 6),
('784001', 'Sonitpur', 'Assam', TRUE, TRUE, 6),
('782001', 'Nagaon', 'Assam', TRUE, TRUE, 6),
-- Bihar
('800001', 'Patna', 'Bihar', TRUE, TRUE, 4),
('812001', 'Bhagalpur', 'Bihar', TRUE, TRUE, 5),
('842001', 'Muzaffarpur', 'Bihar', TRUE, TRUE, 5),
('823001', 'Gaya', 'Bihar', TRUE, TRUE, 5),
('846004', 'Darbhanga', 'Bihar', TRUE, TRUE, 6),
('854301', 'Purnia', 'Bihar', TRUE, TRUE, 6),
-- Chandigarh
('160017', 'Chandigarh', 'Chandigarh', TRUE, TRUE, 3),
('160022', 'Chandigarh', 'Chandigarh', TRUE, TRUE, 3),
('160036', 'Chandigarh', 'Chandigarh', TRUE, TRUE, 3),
-- Chhattisgarh
('492001', 'Raipur', 'Chhattisgarh', TRUE, TRUE, 4),
('490001', 'Durg', 'Chhattisgarh', TRUE, TRUE, 5),
('495001', 'Bilaspur', 'Chhattisgarh', TRUE, TRUE, 5),
('496001', 'Raigarh', 'Chhattisgarh', TRUE, TRUE, 6),
('494001', 'Bastar', 'Chhattisgarh', TRUE, FALSE, 7),
-- Dadra and Nagar Haveli and Daman and Diu
('396230', 'Dadra and Nagar Haveli', 'Dadra and Nagar Haveli and Daman and Diu', TRUE, TRUE, 4),
('396210', 'Daman', 'Dadra and Nagar Haveli and Daman and Diu', TRUE, TRUE, 4),
('362520', 'Diu', 'Dadra and Nagar Haveli and Daman and Diu', TRUE, TRUE, 5),
-- Delhi
('110001', 'New Delhi', 'Delhi', TRUE, TRUE, 2),
('110006', 'Central Delhi', 'Delhi', TRUE, TRUE, 2),
('110017', 'South Delhi', 'Delhi', TRUE, TRUE, 2),
('110075', 'South West Delhi', 'Delhi', TRUE, TRUE, 2),
('110085', 'North West Delhi', 'Delhi', TRUE, TRUE, 2),
('110092', 'East Delhi', 'Delhi', TRUE, TRUE, 2),
-- Goa
('403001', 'North Goa', 'Goa', TRUE, TRUE, 3),
('403507', 'North Goa', 'Goa', TRUE, TRUE, 3),
('403601', 'South Goa', 'Goa', TRUE, TRUE, 3),
('403802', 'South Goa', 'Goa', TRUE, TRUE, 3),
-- Gujarat
('380001', 'Ahmedabad', 'Gujarat', TRUE, TRUE, 3),
('395003', 'Surat', 'Gujarat', TRUE, TRUE, 3),
('390001', 'Vadodara', 'Gujarat', TRUE, TRUE, 3),
('360001', 'Rajkot', 'Gujarat', TRUE, TRUE, 4),
('382010', 'Gandhinagar', 'Gujarat', TRUE, TRUE, 3),
('364001', 'Bhavnagar', 'Gujarat', TRUE, TRUE, 4),
('361001', 'Jamnagar', 'Gujarat', TRUE, TRUE, 4),
('370001', 'Kachchh', 'Gujarat', TRUE, TRUE, 5),
-- Haryana
('122001', 'Gurugram', 'Haryana', TRUE, TRUE, 2),
('121001', 'Faridabad', 'Haryana', TRUE, TRUE, 2),
('132001', 'Karnal', 'Haryana', TRUE, TRUE, 3),
('124001', 'Rohtak', 'Haryana', TRUE, TRUE, 3),
('133001', 'Ambala', 'Haryana', TRUE, TRUE, 3),
('125001', 'Hisar', 'Haryana', TRUE, TRUE, 4),
-- Himachal Pradesh
('171001', 'Shimla', 'Himachal Pradesh', TRUE, TRUE, 5),
('175001', 'Mandi', 'Himachal Pradesh', TRUE, TRUE, 5),
('176215', 'Kangra', 'Himachal Pradesh', TRUE, TRUE, 5),
('175131', 'Kullu', 'Himachal Pradesh', TRUE, FALSE, 6),
('175132', 'Lahaul and Spiti', 'Himachal Pradesh', TRUE, FALSE, 10),
('172114', 'Lahaul and Spiti', 'Himachal Pradesh', FALSE, FALSE, NULL),
-- Jammu and Kashmir
('180001', 'Jammu', 'Jammu and Kashmir', TRUE, TRUE, 5),
('182301', 'Reasi', 'Jammu and Kashmir', TRUE, TRUE, 6),
('190001', 'Srinagar', 'Jammu and Kashmir', TRUE, TRUE, 6),
('192101', 'Anantnag', 'Jammu and Kashmir', TRUE, FALSE, 7),
('193101', 'Baramulla', 'Jammu and Kashmir', TRUE, FALSE, 7),
('192126', 'Anantnag', 'Jammu and Kashmir', TRUE, FALSE, 8),
-- Jharkhand
('834001', 'Ranchi', 'Jharkhand', TRUE, TRUE, 4),
('831001', 'East Singhbhum', 'Jharkhand', TRUE, TRUE, 4),
('826001', 'Dhanbad', 'Jharkhand', TRUE, TRUE, 5),
('827001', 'Bokaro', 'Jharkhand', TRUE, TRUE, 5),
('825301', 'Hazaribagh', 'Jharkhand', TRUE, TRUE, 5),
('814101', 'Dumka', 'Jharkhand', TRUE, FALSE, 6),
-- Karnataka
('560001', 'Bengaluru Urban', 'Karnataka', TRUE, TRUE, 2),
('560034', 'Bengaluru Urban', 'Karnataka', TRUE, TRUE, 2),
('560038', 'Bengaluru Urban', 'Karnataka', TRUE, TRUE, 2),
('560066', 'Bengaluru Urban', 'Karnataka', TRUE, TRUE, 2),
('570001', 'Mysuru', 'Karnataka', TRUE, TRUE, 3),
('575001', 'Dakshina Kannada', 'Karnataka', TRUE, TRUE, 3),
('580001', 'Dharwad', 'Karnataka', TRUE, TRUE, 4),
('590001', 'Belagavi', 'Karnataka', TRUE, TRUE, 4),
('585101', 'Kalaburagi', 'Karnataka', TRUE, TRUE, 4),
('577201', 'Shivamogga', 'Karnataka', TRUE, TRUE, 4),
-- Kerala
('695001', 'Thiruvananthapuram', 'Kerala', TRUE, TRUE, 4),
('682011', 'Ernakulam', 'Kerala', TRUE, TRUE, 3),
('673001', 'Kozhikode', 'Kerala', TRUE, TRUE, 4),
('680001', 'Thrissur', 'Kerala', TRUE, TRUE, 4),
('691001', 'Kollam', 'Kerala', TRUE, TRUE, 4),
('670001', 'Kannur', 'Kerala', TRUE, TRUE, 4),
-- Ladakh
('194101', 'Leh', 'Ladakh', TRUE, FALSE, 12),
('194103', 'Kargil', 'Ladakh', FALSE, FALSE, NULL),
-- Lakshadweep
('682555', 'Lakshadweep', 'Lakshadweep', FALSE, FALSE, NULL),
('682553', 'Lakshadweep', 'Lakshadweep', FALSE, FALSE, NULL),
('682559', 'Lakshadweep', 'Lakshadweep', FALSE, FALSE, NULL),
-- Madhya Pradesh
('462001', 'Bhopal', 'Madhya Pradesh', TRUE, TRUE, 3),
('452001', 'Indore', 'Madhya Pradesh', TRUE, TRUE, 3),
('474001', 'Gwalior', 'Madhya Pradesh', TRUE, TRUE, 4),
('482001', 'Jabalpur', 'Madhya Pradesh', TRUE, TRUE, 4),
('456001', 'Ujjain', 'Madhya Pradesh', TRUE, TRUE, 4),
('470001', 'Sagar', 'Madhya Pradesh', TRUE, TRUE, 5),
-- Maharashtra
('400001', 'Mumbai', 'Maharashtra', TRUE, TRUE, 2),
('400050', 'Mumbai Suburban', 'Maharashtra', TRUE, TRUE, 2),
('400076', 'Mumbai Suburban', 'Maharashtra', TRUE, TRUE, 2),
('400601', 'Thane', 'Maharashtra', TRUE, TRUE, 2),
('411001', 'Pune', 'Maharashtra', TRUE, TRUE, 2),
('411038', 'Pune', 'Maharashtra', TRUE, TRUE, 2),
('440001', 'Nagpur', 'Maharashtra', TRUE, TRUE, 3),
('422001', 'Nashik', 'Maharashtra', TRUE, TRUE, 3),
('431001', 'Aurangabad', 'Maharashtra', TRUE, TRUE, 3),
('416001', 'Kolhapur', 'Maharashtra', TRUE, TRUE, 3),
('413001', 'Solapur', 'Maharashtra', TRUE, TRUE, 4),
-- Manipur
('795001', 'Imphal West', 'Manipur', TRUE, FALSE, 8),
('795128', 'Churachandpur', 'Manipur', TRUE, FALSE, 10),
('795142', 'Ukhrul', 'Manipur', FALSE, FALSE, NULL),
-- Meghalaya
('793001', 'East Khasi Hills', 'Meghalaya', TRUE, TRUE, 6),
('793150', 'West Jaintia Hills', 'Meghalaya', TRUE, FALSE, 7),
('794001', 'West Garo Hills', 'Meghalaya', TRUE, FALSE, 8),
-- Mizoram
('796001', 'Aizawl', 'Mizoram', TRUE, FALSE, 8),
('796701', 'Lunglei', 'Mizoram', TRUE, FALSE, 10),
('796321', 'Champhai', 'Mizoram', FALSE, FALSE, NULL),
-- Nagaland
('797001', 'Kohima', 'Nagaland', TRUE, FALSE, 8),
('797112', 'Dimapur', 'Nagaland', TRUE, TRUE, 7),
('798601', 'Mokokchung', 'Nagaland', TRUE, FALSE, 9),
('798612', 'Tuensang', 'Nagaland', FALSE, FALSE, NULL),
-- Odisha
('751001', 'Khordha', 'Odisha', TRUE, TRUE, 4),
('753001', 'Cuttack', 'Odisha', TRUE, TRUE, 4),
('752001', 'Puri', 'Odisha', TRUE, TRUE, 5),
('769001', 'Sundargarh', 'Odisha', TRUE, TRUE, 5),
('768001', 'Sambalpur', 'Odisha', TRUE, TRUE, 5),
('760001', 'Ganjam', 'Odisha', TRUE, TRUE, 5),
-- Puducherry
('605001', 'Puducherry', 'Puducherry', TRUE, TRUE, 3),
('609602', 'Karaikal', 'Puducherry', TRUE, TRUE, 4),
('533464', 'Yanam', 'Puducherry', TRUE, FALSE, 6),
('673310', 'Mahe', 'Puducherry', TRUE, FALSE, 5),
-- Punjab
('141001', 'Ludhiana', 'Punjab', TRUE, TRUE, 3),
('143001', 'Amritsar', 'Punjab', TRUE, TRUE, 3),
('144001', 'Jalandhar', 'Punjab', TRUE, TRUE, 3),
('147001', 'Patiala', 'Punjab', TRUE, TRUE, 3),
('151001', 'Bathinda', 'Punjab', TRUE, TRUE, 4),
('160062', 'Sahibzada Ajit Singh Nagar', 'Punjab', TRUE, TRUE, 3),
-- Rajasthan
('302001', 'Jaipur', 'Rajasthan', TRUE, TRUE, 3),
('342001', 'Jodhpur', 'Rajasthan', TRUE, TRUE, 4),
('313001', 'Udaipur', 'Rajasthan', TRUE, TRUE, 4),
('324001', 'Kota', 'Rajasthan', TRUE, TRUE, 4),
('334001', 'Bikaner', 'Rajasthan', TRUE, TRUE, 5),
('305001', 'Ajmer', 'Rajasthan', TRUE, TRUE, 4),
('345001', 'Jaisalmer', 'Rajasthan', TRUE, FALSE, 6),
-- Sikkim
('737101', 'East Sikkim', 'Sikkim', TRUE, TRUE, 6),
('737126', 'South Sikkim', 'Sikkim', TRUE, FALSE, 7),
('737111', 'West Sikkim', 'Sikkim', TRUE, FALSE, 8),
('737116', 'North Sikkim', 'Sikkim', FALSE, FALSE, NULL),
-- Tamil Nadu
('600001', 'Chennai', 'Tamil Nadu', TRUE, TRUE, 2),
('600017', 'Chennai', 'Tamil Nadu', TRUE, TRUE, 2),
('641001', 'Coimbatore', 'Tamil Nadu', TRUE, TRUE, 3),
('625001', 'Madurai', 'Tamil Nadu', TRUE, TRUE, 3),
('620001', 'Tiruchirappalli', 'Tamil Nadu', TRUE, TRUE, 3),
('636001', 'Salem', 'Tamil Nadu', TRUE, TRUE, 3),
('627001', 'Tirunelveli', 'Tamil Nadu', TRUE, TRUE, 4),
('643001', 'Nilgiris', 'Tamil Nadu', TRUE, TRUE, 4),
-- Telangana
('500001', 'Hyderabad', 'Telangana', TRUE, TRUE, 2),
('500003', 'Hyderabad', 'Telangana', TRUE, TRUE, 2),
('500081', 'Rangareddy', 'Telangana', TRUE, TRUE, 2),
('506002', 'Warangal', 'Telangana', TRUE, TRUE, 3),
('505001', 'Karimnagar', 'Telangana', TRUE, TRUE, 4),
('503001', 'Nizamabad', 'Telangana', TRUE, TRUE, 4),
-- Tripura
('799001', 'West Tripura', 'Tripura', TRUE, TRUE, 7),
('799120', 'Gomati', 'Tripura', TRUE, FALSE, 8),
('799250', 'North Tripura', 'Tripura', TRUE, FALSE, 9),
-- Uttar Pradesh
('226001', 'Lucknow', 'Uttar Pradesh', TRUE, TRUE, 3),
('208001', 'Kanpur Nagar', 'Uttar Pradesh', TRUE, TRUE, 3),
('221001', 'Varanasi', 'Uttar Pradesh', TRUE, TRUE, 4),
('282001', 'Agra', 'Uttar Pradesh', TRUE, TRUE, 3),
('211001', 'Prayagraj', 'Uttar Pradesh', TRUE, TRUE, 4),
('201301', 'Gautam Buddha Nagar', 'Uttar Pradesh', TRUE, TRUE, 2),
('201001', 'Ghaziabad', 'Uttar Pradesh', TRUE, TRUE, 2),
('250001', 'Meerut', 'Uttar Pradesh', TRUE, TRUE, 3),
('273001', 'Gorakhpur', 'Uttar Pradesh', TRUE, TRUE, 5),
('202001', 'Aligarh', 'Uttar Pradesh', TRUE, TRUE, 4),
('281001', 'Mathura', 'Uttar Pradesh', TRUE, TRUE, 4),
-- Uttarakhand
('248001', 'Dehradun', 'Uttarakhand', TRUE, TRUE, 4),
('249201', 'Dehradun', 'Uttarakhand', TRUE, TRUE, 4),
('249401', 'Haridwar', 'Uttarakhand', TRUE, TRUE, 4),
('263001', 'Nainital', 'Uttarakhand', TRUE, TRUE, 5),
('262501', 'Pithoragarh', 'Uttarakhand', TRUE, FALSE, 8),
('246443', 'Chamoli', 'Uttarakhand', TRUE, FALSE, 9),
-- West Bengal
('700001', 'Kolkata', 'West Bengal', TRUE, TRUE, 2),
('700016', 'Kolkata', 'West Bengal', TRUE, TRUE, 2),
('700091', 'North 24 Parganas', 'West Bengal', TRUE, TRUE, 3),
('711101', 'Howrah', 'West Bengal', TRUE, TRUE, 3),
('713101', 'Purba Bardhaman', 'West Bengal', TRUE, TRUE, 4),
('713301', 'Paschim Bardhaman', 'West Bengal', TRUE, TRUE, 4),
('721301', 'Paschim Medinipur', 'West Bengal', TRUE, TRUE, 4),
('734001', 'Darjeeling', 'West Bengal', TRUE, TRUE, 5),
('734101', 'Darjeeling', 'West Bengal', TRUE, FALSE, 6)
ON CONFLICT (pincode) DO NOTHING;

-- A database that already holds addresses keeps every one of them deliverable, as it was
-- before this file: a pincode in use that the sample lacks is added as served (without cash on
-- delivery, in 7 days), in the state and city its addresses name most, until the India Post
-- directory is loaded over it (which corrects its district and state, and keeps these choices).
INSERT INTO store.pincodes AS p (pincode, district, state, serviceable, cod_allowed, delivery_days)
SELECT
    a.pincode,
    mode() WITHIN GROUP (ORDER BY a.city) AS district,
    mode() WITHIN GROUP (ORDER BY a.state) AS state,
    TRUE AS serviceable,
    FALSE AS cod_allowed,
    7 AS delivery_days
FROM store.addresses AS a
GROUP BY a.pincode
ON CONFLICT (pincode) DO NOTHING;
