"""The demo catalogue: a small retail bank with a shop, as plain data.

Column names marked with ``*`` are tagged PII.Sensitive. Feature sources name
``service.database.schema.table.column`` so every one points at a real column.
"""

USERS = [
    # name, display name, role
    ("alice", "Alice Martin", "editor"),
    ("bob", "Bob Okafor", "editor"),
    ("carol", "Carol Nguyen", "viewer"),
    ("dan", "Dan Kowalski", "viewer"),
    ("erin", "Erin Sato", "viewer"),
    ("viewer", "Read-only Reviewer", "viewer"),
    ("ingestion-bot", "Ingestion bot", "editor"),
]

TEAMS = [
    ("growth-ml", "Growth ML", ["alice", "erin"]),
    ("risk-analytics", "Risk Analytics", ["carol", "bob"]),
    ("forecasting", "Forecasting", ["dan"]),
    ("people-analytics", "People Analytics", ["bob"]),
]

CLASSIFICATIONS = {
    "PII": ("Personally identifiable information", ["Sensitive", "NonSensitive"]),
    "Tier": ("How critical an asset is to the business", ["Tier1", "Tier2", "Tier3"]),
}

DATABASES = {
    # service (type) -> database -> schema -> table -> (description, [columns])
    ("warehouse", "Snowflake"): {
        "analytics": {
            "crm": {
                "customers": (
                    "One row per customer.",
                    [
                        "customer_id BIGINT",
                        "full_name* STRING",
                        "email* STRING",
                        "gender* STRING",
                        "birth_date* DATE",
                        "postcode* STRING",
                        "signup_date DATE",
                        "segment STRING",
                        "annual_income* DOUBLE",
                    ],
                ),
                "subscriptions": (
                    "Subscription contracts and their status.",
                    [
                        "subscription_id BIGINT",
                        "customer_id BIGINT",
                        "plan STRING",
                        "monthly_fee DOUBLE",
                        "started_at TIMESTAMP",
                        "cancelled_at TIMESTAMP",
                        "status STRING",
                    ],
                ),
                "support_tickets": (
                    "Customer support contacts with NLP sentiment.",
                    [
                        "ticket_id BIGINT",
                        "customer_id BIGINT",
                        "opened_at TIMESTAMP",
                        "channel STRING",
                        "subject TEXT",
                        "sentiment_score DOUBLE",
                        "resolved BOOLEAN",
                    ],
                ),
                "web_sessions": (
                    "Sessions on the website and app.",
                    [
                        "session_id STRING",
                        "customer_id BIGINT",
                        "started_at TIMESTAMP",
                        "page_views INT",
                        "device STRING",
                        "country STRING",
                    ],
                ),
            },
            "finance": {
                "transactions": (
                    "Card transactions, labelled by the fraud team.",
                    [
                        "transaction_id BIGINT",
                        "customer_id BIGINT",
                        "amount DOUBLE",
                        "currency STRING",
                        "merchant_id BIGINT",
                        "merchant_category STRING",
                        "created_at TIMESTAMP",
                        "card_country STRING",
                        "is_fraud BOOLEAN",
                    ],
                ),
                "merchants": (
                    "Merchants with their risk rating.",
                    [
                        "merchant_id BIGINT",
                        "name STRING",
                        "category STRING",
                        "country STRING",
                        "risk_rating STRING",
                    ],
                ),
                "loan_applications": (
                    "Loan applications and their outcome.",
                    [
                        "application_id BIGINT",
                        "customer_id BIGINT",
                        "requested_amount DOUBLE",
                        "term_months INT",
                        "employment_status STRING",
                        "annual_income* DOUBLE",
                        "marital_status* STRING",
                        "applied_at TIMESTAMP",
                        "defaulted BOOLEAN",
                    ],
                ),
                "credit_bureau_reports": (
                    "Monthly credit bureau extracts.",
                    [
                        "report_id BIGINT",
                        "customer_id BIGINT",
                        "credit_score INT",
                        "open_accounts INT",
                        "delinquencies INT",
                        "reported_at DATE",
                    ],
                ),
            },
        },
    },
    ("shop-db", "Postgres"): {
        "shop": {
            "public": {
                "orders": (
                    "Orders across stores and the web shop.",
                    [
                        "order_id BIGINT",
                        "customer_id BIGINT",
                        "ordered_at TIMESTAMP",
                        "total_amount DOUBLE",
                        "store_id INT",
                        "channel STRING",
                    ],
                ),
                "order_items": (
                    "Order lines.",
                    [
                        "order_item_id BIGINT",
                        "order_id BIGINT",
                        "product_id BIGINT",
                        "quantity INT",
                        "unit_price DOUBLE",
                    ],
                ),
                "products": (
                    "The product catalogue.",
                    [
                        "product_id BIGINT",
                        "name STRING",
                        "category STRING",
                        "brand STRING",
                        "price DOUBLE",
                    ],
                ),
                "product_views": (
                    "Product page views.",
                    [
                        "view_id BIGINT",
                        "customer_id BIGINT",
                        "product_id BIGINT",
                        "viewed_at TIMESTAMP",
                    ],
                ),
                "stores": ("Physical stores.", ["store_id INT", "city STRING", "region STRING", "size_sqm DOUBLE"]),
                "promotions": (
                    "Price promotions.",
                    [
                        "promotion_id BIGINT",
                        "product_id BIGINT",
                        "starts_on DATE",
                        "ends_on DATE",
                        "discount_pct DOUBLE",
                    ],
                ),
            },
        },
    },
    ("lakehouse", "Databricks"): {
        "ml": {
            "reference": {
                "weather_daily": (
                    "Daily weather per region.",
                    [
                        "region STRING",
                        "day DATE",
                        "temperature DOUBLE",
                        "precipitation DOUBLE",
                    ],
                ),
                "calendar": ("Calendar with public holidays.", ["day DATE", "is_holiday BOOLEAN", "weekday INT"]),
            },
            "scores": {
                "churn_scores": (
                    "Daily churn probability per customer, written by the churn model.",
                    [
                        "customer_id BIGINT",
                        "score DOUBLE",
                        "scored_at TIMESTAMP",
                    ],
                ),
                "fraud_alerts": (
                    "Transactions flagged by the fraud model.",
                    [
                        "transaction_id BIGINT",
                        "score DOUBLE",
                        "flagged_at TIMESTAMP",
                    ],
                ),
            },
            "hr": {
                "employees": (
                    "Employee master data (HR).",
                    [
                        "employee_id BIGINT",
                        "gender* STRING",
                        "birth_date* DATE",
                        "department STRING",
                        "hire_date DATE",
                        "salary* DOUBLE",
                        "left_company BOOLEAN",
                    ],
                ),
            },
        },
    },
}

DASHBOARDS = [
    # name, display name, url, owners
    (
        "churn-monitoring",
        "Churn model monitoring",
        "https://superset.example.com/superset/dashboard/12/",
        ["growth-ml"],
    ),
    ("fraud-operations", "Fraud operations", "https://superset.example.com/superset/dashboard/7/", ["risk-analytics"]),
    (
        "credit-risk-performance",
        "Credit risk model performance",
        "https://superset.example.com/superset/dashboard/31/",
        ["carol"],
    ),
    (
        "demand-forecast-accuracy",
        "Demand forecast accuracy",
        "https://superset.example.com/superset/dashboard/44/",
        ["dan"],
    ),
    (
        "recommendations-ctr",
        "Recommendations click-through",
        "https://superset.example.com/superset/dashboard/52/",
        ["erin"],
    ),
]

W = "warehouse.analytics"
S = "shop-db.shop.public"
L = "lakehouse.ml"

# Each model: its final state, then the history steps that led there (applied
# in order after creating the model from ``initial``, once, on a fresh load).
MODELS = [
    {
        "name": "customer-churn",
        "display_name": "Customer churn",
        "description": "Probability that a subscriber cancels within **30 days**. Scores are written daily to "
        "`lakehouse.ml.scores.churn_scores` and drive retention campaigns.",
        "algorithm": "XGBoostClassifier",
        "target": "churned_30d",
        "server": "https://models.example.com/churn/invocations",
        "ml_store_storage": "s3://ml-artifacts/churn/v7/model.xgb",
        "ml_store_image": "registry.example.com/ml/churn:7.0",
        "dashboard": "churn-monitoring",
        "owners": ["growth-ml", "alice"],
        "followers": ["erin", "viewer"],
        "tags": ["Tier.Tier1"],
        "outputs": [f"{L}.scores.churn_scores"],
        "features": [
            ("tenure_days", "numerical", "", [("started_at", "timestamp", f"{W}.crm.subscriptions.started_at")]),
            ("monthly_fee", "numerical", "", [("monthly_fee", "number", f"{W}.crm.subscriptions.monthly_fee")]),
            (
                "support_contacts_90d",
                "numerical",
                "count over 90 days",
                [("ticket_id", "integer", f"{W}.crm.support_tickets.ticket_id")],
            ),
            (
                "avg_sentiment",
                "numerical",
                "mean",
                [("sentiment_score", "number", f"{W}.crm.support_tickets.sentiment_score")],
            ),
            ("age", "numerical", "years since birth", [("birth_date", "date", f"{W}.crm.customers.birth_date")]),
            (
                "engagement",
                "categorical",
                "PCA",
                [
                    ("page_views", "integer", f"{W}.crm.web_sessions.page_views"),
                    ("device", "string", f"{W}.crm.web_sessions.device"),
                ],
            ),
        ],
        "hyperparameters": [
            ("max_depth", "6", "Tree depth"),
            ("learning_rate", "0.05", ""),
            ("n_estimators", "400", ""),
            ("subsample", "0.8", "Row sampling per tree"),
        ],
        "initial": {
            "algorithm": "RandomForestClassifier",
            "hyperparameters": [("max_depth", "8", "Tree depth"), ("n_estimators", "200", "")],
        },
        "history": [
            ("alice", ["description"]),
            ("alice", ["algorithm", "hyperparameters"]),
            ("erin", ["ml_store_storage", "ml_store_image"]),
        ],
    },
    {
        "name": "fraud-detection",
        "display_name": "Card fraud detection",
        "description": "Scores every card transaction in real time; scores above 0.92 are held for review.",
        "algorithm": "LightGBMClassifier",
        "target": "is_fraud",
        "server": "https://models.example.com/fraud/v2/predict",
        "ml_store_storage": "s3://ml-artifacts/fraud/2024-10/model.txt",
        "ml_store_image": "registry.example.com/ml/fraud:2.4",
        "dashboard": "fraud-operations",
        "owners": ["risk-analytics"],
        "followers": ["carol"],
        "tags": ["Tier.Tier1"],
        "outputs": [f"{L}.scores.fraud_alerts"],
        "features": [
            ("amount", "numerical", "", [("amount", "number", f"{W}.finance.transactions.amount")]),
            (
                "merchant_category",
                "categorical",
                "target encoding",
                [("merchant_category", "string", f"{W}.finance.transactions.merchant_category")],
            ),
            ("merchant_risk", "categorical", "", [("risk_rating", "string", f"{W}.finance.merchants.risk_rating")]),
            ("hour_of_day", "numerical", "", [("created_at", "timestamp", f"{W}.finance.transactions.created_at")]),
            (
                "foreign_card",
                "categorical",
                "card country differs from home country",
                [
                    ("card_country", "string", f"{W}.finance.transactions.card_country"),
                    ("postcode", "string", f"{W}.crm.customers.postcode"),
                ],
            ),
        ],
        "hyperparameters": [
            ("num_leaves", "63", ""),
            ("learning_rate", "0.03", ""),
            ("scale_pos_weight", "40", "Class imbalance"),
        ],
        "initial": {"server": "https://models.example.com/fraud/v1/predict"},
        "history": [("bob", ["server"]), ("carol", ["description"])],
    },
    {
        "name": "credit-scoring",
        "display_name": "Credit scoring",
        "description": "Probability of default for consumer loan applications. Reviewed quarterly by the "
        "model risk committee.",
        "algorithm": "LogisticRegression",
        "target": "defaulted",
        "server": "https://models.example.com/credit/score",
        "ml_store_storage": "s3://ml-artifacts/credit/2024Q3/model.pkl",
        "ml_store_image": "",
        "dashboard": "credit-risk-performance",
        "owners": ["carol", "risk-analytics"],
        "followers": ["bob", "viewer"],
        "tags": ["Tier.Tier1"],
        "outputs": [],
        "features": [
            ("age", "numerical", "years since birth", [("birth_date", "date", f"{W}.crm.customers.birth_date")]),
            ("gender", "categorical", "one-hot", [("gender", "string", f"{W}.crm.customers.gender")]),
            (
                "income",
                "numerical",
                "log",
                [("annual_income", "number", f"{W}.finance.loan_applications.annual_income")],
            ),
            (
                "credit_score",
                "numerical",
                "",
                [("credit_score", "integer", f"{W}.finance.credit_bureau_reports.credit_score")],
            ),
            (
                "delinquencies",
                "numerical",
                "",
                [("delinquencies", "integer", f"{W}.finance.credit_bureau_reports.delinquencies")],
            ),
            (
                "loan_to_income",
                "numerical",
                "ratio",
                [
                    ("requested_amount", "number", f"{W}.finance.loan_applications.requested_amount"),
                    ("annual_income", "number", f"{W}.finance.loan_applications.annual_income"),
                ],
            ),
        ],
        "hyperparameters": [
            ("C", "0.5", "Inverse regularisation strength"),
            ("penalty", "l2", ""),
            ("class_weight", "balanced", ""),
        ],
        "initial": {"target": "default_12m"},
        "history": [("carol", ["target"]), ("bob", ["hyperparameters"])],
    },
    {
        "name": "demand-forecast",
        "display_name": "Store demand forecast",
        "description": "Daily units sold per store and product, 28 days ahead.",
        "algorithm": "LightGBMRegressor",
        "target": "units_sold",
        "server": "",
        "ml_store_storage": "s3://ml-artifacts/demand/weekly/model.txt",
        "ml_store_image": "registry.example.com/ml/demand:1.9",
        "dashboard": "demand-forecast-accuracy",
        "owners": ["forecasting", "dan"],
        "followers": [],
        "tags": ["Tier.Tier2"],
        "outputs": [],
        "features": [
            ("units_lag_7", "numerical", "lag", [("quantity", "integer", f"{S}.order_items.quantity")]),
            ("discount", "numerical", "", [("discount_pct", "number", f"{S}.promotions.discount_pct")]),
            ("temperature", "numerical", "", [("temperature", "number", f"{L}.reference.weather_daily.temperature")]),
            ("is_holiday", "categorical", "", [("is_holiday", "boolean", f"{L}.reference.calendar.is_holiday")]),
            ("region", "categorical", "", [("region", "string", f"{S}.stores.region")]),
        ],
        "hyperparameters": [("objective", "tweedie", ""), ("num_leaves", "127", ""), ("horizon_days", "28", "")],
        "initial": {},
        "history": [("dan", ["features"])],
    },
    {
        "name": "product-recommendations",
        "display_name": "Product recommendations",
        "description": "Top-10 products for the home page and e-mails.",
        "algorithm": "ImplicitALS",
        "target": "clicked",
        "server": "https://models.example.com/recs/v3",
        "ml_store_storage": "s3://ml-artifacts/recs/als/factors.npz",
        "ml_store_image": "registry.example.com/ml/recs:3.1",
        "dashboard": "recommendations-ctr",
        "owners": ["erin", "growth-ml"],
        "followers": ["alice"],
        "tags": ["Tier.Tier2"],
        "outputs": [],
        "features": [
            (
                "customer_embedding",
                "numerical",
                "matrix factorisation",
                [
                    ("customer_id", "integer", f"{S}.product_views.customer_id"),
                    ("product_id", "integer", f"{S}.product_views.product_id"),
                ],
            ),
            ("category", "categorical", "", [("category", "string", f"{S}.products.category")]),
            ("price", "numerical", "", [("price", "number", f"{S}.products.price")]),
        ],
        "hyperparameters": [("factors", "128", ""), ("regularization", "0.01", ""), ("iterations", "30", "")],
        "initial": {},
        "history": [("erin", ["description"])],
    },
    {
        "name": "customer-lifetime-value",
        "display_name": "Customer lifetime value",
        "description": "Expected 12-month margin per customer.",
        "algorithm": "BG/NBD + Gamma-Gamma",
        "target": "margin_12m",
        "server": "",
        "ml_store_storage": "s3://ml-artifacts/clv/model.pkl",
        "ml_store_image": "",
        "dashboard": "",
        "owners": ["bob"],
        "followers": [],
        "tags": ["Tier.Tier3"],
        "outputs": [],
        "features": [
            ("frequency", "numerical", "", [("order_id", "integer", f"{S}.orders.order_id")]),
            ("monetary_value", "numerical", "mean", [("total_amount", "number", f"{S}.orders.total_amount")]),
            ("segment", "categorical", "", [("segment", "string", f"{W}.crm.customers.segment")]),
        ],
        "hyperparameters": [("penalizer_coef", "0.001", "")],
        "initial": {},
        "history": [("bob", ["hyperparameters"])],
    },
    {
        "name": "employee-attrition",
        "display_name": "Employee attrition risk",
        "description": "Flags teams with a high risk of departures. Access restricted to HR business partners.",
        "algorithm": "RandomForestClassifier",
        "target": "left_company",
        "server": "",
        "ml_store_storage": "s3://ml-artifacts/hr/attrition.pkl",
        "ml_store_image": "",
        "dashboard": "",
        "owners": ["people-analytics"],
        "followers": [],
        "tags": ["Tier.Tier3"],
        "outputs": [],
        "features": [
            ("gender", "categorical", "", [("gender", "string", f"{L}.hr.employees.gender")]),
            ("age", "numerical", "", [("birth_date", "date", f"{L}.hr.employees.birth_date")]),
            ("salary", "numerical", "", [("salary", "number", f"{L}.hr.employees.salary")]),
            ("department", "categorical", "", [("department", "string", f"{L}.hr.employees.department")]),
            ("tenure_years", "numerical", "", [("hire_date", "date", f"{L}.hr.employees.hire_date")]),
        ],
        "hyperparameters": [("n_estimators", "300", ""), ("max_features", "sqrt", "")],
        "initial": {},
        "history": [("bob", ["description"])],
    },
    {
        "name": "ticket-routing",
        "display_name": "Support ticket routing",
        "description": "Routes incoming tickets to the right support queue.",
        "algorithm": "DistilBERT (fine-tuned)",
        "target": "queue",
        "server": "https://models.example.com/tickets/route",
        "ml_store_storage": "",
        "ml_store_image": "registry.example.com/ml/ticket-routing:0.6",
        "dashboard": "",
        "owners": ["erin"],
        "followers": [],
        "tags": [],
        "outputs": [],
        "features": [
            ("subject_text", "categorical", "tokenised", [("subject", "string", f"{W}.crm.support_tickets.subject")]),
            ("channel", "categorical", "", [("channel", "string", f"{W}.crm.support_tickets.channel")]),
        ],
        "hyperparameters": [("epochs", "3", ""), ("max_length", "256", "")],
        "initial": {},
        "history": [("erin", ["hyperparameters"])],
    },
]
