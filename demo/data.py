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

#: Demo users the administrator made approvers: they may approve model versions of any model.
APPROVERS = ["bob"]

#: Metrics where lower is better; every other metric is higher-is-better.
LOWER_IS_BETTER = {"logloss", "rmse", "mae", "mape"}

# The model versions of each model, oldest first (numbered 1, 2…). Every version but the last two
# served in production in its time and is archived now; the one in production holds the alias
# ``champion``, the one in staging ``challenger``. A version's features are the model's, less
# ``without``; its training tables are those features' source tables and columns, plus ``label``,
# which is also what it was evaluated on. ``reason`` is the approval of a move to production,
# ``request`` an open request for production, ``rejected`` a request the approver refused.
MODEL_VERSIONS = {
    "customer-churn": {
        "requested_by": "erin",
        "approved_by": "alice",
        "label": (f"{W}.crm.subscriptions", ["cancelled_at", "status"]),
        "output": ("churn_probability", "double"),
        "experiment": 14,
        "split": "test",
        "versions": [
            {
                "by": "alice",
                "on": "2024-02-12",
                "description": "Baseline random forest on subscription and support data.",
                "algorithm": "RandomForestClassifier",
                "parameters": {"max_depth": "8", "n_estimators": "200"},
                "without": ["avg_sentiment", "engagement"],
                "metrics": {"auc": 0.792, "accuracy": 0.874, "f1": 0.41, "logloss": 0.318},
                "reason": "First model to beat the rule-based churn flag (AUC 0.79 against 0.66).",
            },
            {
                "by": "alice",
                "on": "2024-06-03",
                "description": "XGBoost with ticket sentiment.",
                "algorithm": "XGBoostClassifier",
                "parameters": {"max_depth": "6", "learning_rate": "0.1", "n_estimators": "300"},
                "without": ["engagement"],
                "metrics": {"auc": 0.834, "accuracy": 0.889, "f1": 0.49, "logloss": 0.284},
                "reason": "AUC up 4 points on the May holdout; calibration checked by the retention team.",
            },
            {
                "by": "erin",
                "on": "2024-09-18",
                "description": "Adds web and app engagement; slower learning rate, more trees.",
                "algorithm": "XGBoostClassifier",
                "parameters": {"max_depth": "6", "learning_rate": "0.05", "n_estimators": "400", "subsample": "0.8"},
                "metrics": {"auc": 0.861, "accuracy": 0.902, "f1": 0.55, "logloss": 0.262},
                "reason": "Beats version 2 by 2.7 AUC points on the September holdout; retention campaign "
                "thresholds re-tuned and signed off by Growth.",
            },
            {
                "by": "erin",
                "on": "2024-11-20",
                "description": "Deeper trees trained on six more months of data.",
                "algorithm": "XGBoostClassifier",
                "parameters": {"max_depth": "8", "learning_rate": "0.03", "n_estimators": "800", "subsample": "0.8"},
                "metrics": {"auc": 0.868, "accuracy": 0.905, "f1": 0.57, "logloss": 0.259},
                "request": "Two weeks in shadow mode: +0.7 AUC points and no drift alerts.",
            },
        ],
    },
    "fraud-detection": {
        "requested_by": "carol",
        "approved_by": "bob",
        "label": (f"{W}.finance.transactions", ["is_fraud"]),
        "output": ("fraud_score", "double"),
        "experiment": 7,
        "split": "holdout",
        "versions": [
            {
                "by": "carol",
                "on": "2024-03-05",
                "description": "LightGBM on amount, merchant and time of day.",
                "algorithm": "LightGBMClassifier",
                "parameters": {"num_leaves": "31", "learning_rate": "0.05", "scale_pos_weight": "20"},
                "without": ["foreign_card"],
                "metrics": {"auc": 0.947, "f1": 0.61, "logloss": 0.041},
                "reason": "Catches 18% more fraud than the v0 rules at the same review volume.",
            },
            {
                "by": "carol",
                "on": "2024-07-22",
                "description": "Adds the foreign-card signal; heavier weight on the rare class.",
                "algorithm": "LightGBMClassifier",
                "parameters": {"num_leaves": "63", "learning_rate": "0.03", "scale_pos_weight": "40"},
                "metrics": {"auc": 0.962, "f1": 0.68, "logloss": 0.035},
                "reason": "False-positive rate at the 0.92 threshold down from 1.9% to 1.2%; ops staffing agreed.",
            },
            {
                "by": "bob",
                "on": "2024-10-30",
                "description": "Retrained on Q3 transactions.",
                "algorithm": "LightGBMClassifier",
                "parameters": {"num_leaves": "63", "learning_rate": "0.03", "scale_pos_weight": "40"},
                "metrics": {"auc": 0.959, "f1": 0.69, "logloss": 0.036},
            },
        ],
    },
    "credit-scoring": {
        "requested_by": "bob",
        "approved_by": "carol",
        "label": (f"{W}.finance.loan_applications", ["defaulted"]),
        "output": ("default_probability", "double"),
        "experiment": 3,
        "split": "out-of-time-2024Q2",
        "versions": [
            {
                "by": "carol",
                "on": "2023-12-01",
                "description": "Scorecard refit for 2024.",
                "algorithm": "LogisticRegression",
                "parameters": {"C": "1.0", "penalty": "l2", "class_weight": "balanced"},
                "without": ["delinquencies"],
                "metrics": {"auc": 0.771, "accuracy": 0.702, "logloss": 0.498},
                "reason": "Model risk committee approval MRC-2023-41.",
            },
            {
                "by": "bob",
                "on": "2024-07-15",
                "description": "Adds bureau delinquencies; stronger regularisation.",
                "algorithm": "LogisticRegression",
                "parameters": {"C": "0.5", "penalty": "l2", "class_weight": "balanced"},
                "metrics": {"auc": 0.794, "accuracy": 0.718, "logloss": 0.472},
                "reason": "Model risk committee approval MRC-2024-17; fairness review attached to the card.",
            },
            {
                "by": "bob",
                "on": "2024-10-02",
                "description": "Gender removed from the inputs, as the fairness review asked.",
                "algorithm": "LogisticRegression",
                "parameters": {"C": "0.5", "penalty": "l2", "class_weight": "balanced"},
                "without": ["gender"],
                "metrics": {"auc": 0.791, "accuracy": 0.716, "logloss": 0.475},
                "request": "Ready for the November committee: 0.3 AUC points lost, gender no longer an input.",
            },
        ],
    },
    "demand-forecast": {
        "requested_by": "dan",
        "approved_by": "dan",
        "label": (f"{S}.order_items", ["quantity"]),
        "output": ("units_sold", "double"),
        "experiment": 21,
        "split": "backtest-28d",
        "versions": [
            {
                "by": "dan",
                "on": "2024-04-08",
                "description": "Poisson objective, no weather.",
                "algorithm": "LightGBMRegressor",
                "parameters": {"objective": "poisson", "num_leaves": "63", "horizon_days": "28"},
                "without": ["temperature"],
                "metrics": {"rmse": 4.82, "mae": 2.91, "mape": 0.231},
                "reason": "WAPE 3 points better than the moving-average baseline in every region.",
            },
            {
                "by": "dan",
                "on": "2024-08-26",
                "description": "Tweedie objective and daily weather.",
                "algorithm": "LightGBMRegressor",
                "parameters": {"objective": "tweedie", "num_leaves": "127", "horizon_days": "28"},
                "metrics": {"rmse": 4.37, "mae": 2.64, "mape": 0.204},
                "reason": "Backtest error down 9%; store replenishment team approved the switch.",
            },
            {
                "by": "dan",
                "on": "2024-11-11",
                "description": "Longer history, same features.",
                "algorithm": "LightGBMRegressor",
                "parameters": {"objective": "tweedie", "num_leaves": "255", "horizon_days": "28"},
                "metrics": {"rmse": 4.41, "mae": 2.59, "mape": 0.201},
            },
        ],
    },
    "product-recommendations": {
        "requested_by": "erin",
        "approved_by": "erin",
        "label": (f"{S}.product_views", ["customer_id", "product_id"]),
        "output": ("product_ids", "array<bigint>"),
        "experiment": 30,
        "split": "last-week-clicks",
        "versions": [
            {
                "by": "erin",
                "on": "2024-05-14",
                "description": "Implicit ALS with 128 factors.",
                "algorithm": "ImplicitALS",
                "parameters": {"factors": "128", "regularization": "0.01", "iterations": "30"},
                "metrics": {"precision_at_10": 0.142, "recall_at_10": 0.211, "ndcg_at_10": 0.187},
                "reason": "A/B test: click-through +6% on the home page over the bestseller list.",
            },
            {
                "by": "erin",
                "on": "2024-10-07",
                "description": "256 factors, stronger regularisation.",
                "algorithm": "ImplicitALS",
                "parameters": {"factors": "256", "regularization": "0.05", "iterations": "40"},
                "metrics": {"precision_at_10": 0.151, "recall_at_10": 0.224, "ndcg_at_10": 0.196},
            },
        ],
    },
    "customer-lifetime-value": {
        "requested_by": "bob",
        "approved_by": "bob",
        "label": (f"{S}.orders", ["total_amount"]),
        "output": ("margin_12m", "double"),
        "experiment": 9,
        "split": "2023-cohort",
        "versions": [
            {
                "by": "bob",
                "on": "2024-01-22",
                "description": "BG/NBD with Gamma-Gamma spend.",
                "algorithm": "BG/NBD + Gamma-Gamma",
                "parameters": {"penalizer_coef": "0.0"},
                "without": ["segment"],
                "metrics": {"rmse": 118.4, "mae": 61.2},
                "reason": "Finance accepted the 2023 cohort back-test.",
            },
            {
                "by": "bob",
                "on": "2024-09-09",
                "description": "Small penalizer; segment added for reporting.",
                "algorithm": "BG/NBD + Gamma-Gamma",
                "parameters": {"penalizer_coef": "0.001"},
                "metrics": {"rmse": 109.7, "mae": 58.9},
            },
        ],
    },
    "employee-attrition": {
        "requested_by": "bob",
        "approved_by": "bob",
        "label": (f"{L}.hr.employees", ["left_company"]),
        "output": ("attrition_risk", "double"),
        "experiment": 5,
        "split": "test",
        "versions": [
            {
                "by": "bob",
                "on": "2023-11-06",
                "description": "First model, on HR master data.",
                "algorithm": "RandomForestClassifier",
                "parameters": {"n_estimators": "200", "max_features": "sqrt"},
                "metrics": {"auc": 0.741, "accuracy": 0.861, "f1": 0.38},
                "reason": "HR business partners reviewed the team-level reports; individual scores stay hidden.",
            },
            {
                "by": "bob",
                "on": "2024-05-27",
                "description": "More trees; tenure from hire date.",
                "algorithm": "RandomForestClassifier",
                "parameters": {"n_estimators": "300", "max_features": "sqrt"},
                "metrics": {"auc": 0.768, "accuracy": 0.873, "f1": 0.42},
                "reason": "AUC up 2.7 points; the works council was informed as agreed.",
            },
            {
                "by": "bob",
                "on": "2024-10-14",
                "description": "Salary bands instead of salaries.",
                "algorithm": "RandomForestClassifier",
                "parameters": {"n_estimators": "500", "max_features": "0.5"},
                "metrics": {"auc": 0.772, "accuracy": 0.871, "f1": 0.44},
                "rejected": "Recall for employees over 55 is 12 points below the rest: retrain without age first.",
            },
        ],
    },
    "ticket-routing": {
        "requested_by": "erin",
        "approved_by": "erin",
        "label": (f"{W}.crm.support_tickets", ["channel"]),
        "output": ("queue", "string"),
        "experiment": 41,
        "split": "validation",
        "versions": [
            {
                "by": "erin",
                "on": "2024-08-19",
                "description": "DistilBERT fine-tuned on six months of tickets.",
                "algorithm": "DistilBERT (fine-tuned)",
                "parameters": {"epochs": "2", "max_length": "128"},
                "metrics": {"accuracy": 0.842, "f1": 0.801, "logloss": 0.512},
                "reason": "Misrouted tickets down from 22% to 16% in the pilot queue.",
            },
            {
                "by": "erin",
                "on": "2024-11-04",
                "description": "Longer inputs, one more epoch.",
                "algorithm": "DistilBERT (fine-tuned)",
                "parameters": {"epochs": "3", "max_length": "256"},
                "metrics": {"accuracy": 0.861, "f1": 0.823, "logloss": 0.471},
            },
        ],
    },
}

# Model cards (Markdown), by model. Left incomplete on purpose: customer-lifetime-value (use and users
# only), employee-attrition (no caveats, no evaluation summary) and ticket-routing (no card at all).
CARDS = {
    "customer-churn": {
        "card_intended_use": "Rank subscribers by their probability of cancelling within 30 days, to choose who "
        "gets a retention offer.",
        "card_out_of_scope_uses": "- Pricing or credit decisions\n- Scoring customers without an active "
        "subscription\n- Any decision about an individual without a person in the loop",
        "card_intended_users": "The Growth team's retention campaigns; the churn monitoring dashboard.",
        "card_factors": "Tenure, plan and fee, support contacts and their sentiment, web and app engagement, age band.",
        "card_ethical_considerations": "Age is derived from a sensitive column (birth date). Offers must not be "
        "withheld by age band; the monitoring dashboard tracks offer rates per band.",
        "card_caveats": "Scores drift after price changes: retrain within a month of any change to the plans.",
        "card_risk_rating": "medium",
        "card_training_summary": "Two years of subscriptions with their support tickets and web sessions; the "
        "label is a cancellation within 30 days of the scoring date.",
        "card_evaluation_summary": "Out-of-time holdout of the latest quarter: AUC, accuracy, F1 and log loss; "
        "see the model versions.",
    },
    "fraud-detection": {
        "card_intended_use": "Hold card transactions for review when the fraud score exceeds 0.92.",
        "card_out_of_scope_uses": "Blocking cards automatically; scoring transfers or direct debits.",
        "card_intended_users": "The fraud operations team.",
        "card_factors": "Amount, merchant category and risk, hour of day, card country against home postcode.",
        "card_ethical_considerations": "Postcode is personal data and a proxy for neighbourhood: false-positive "
        "rates are reviewed per region every month.",
        "card_caveats": "Labels arrive up to 60 days late (chargebacks): recent weeks look cleaner than they are.",
        "card_risk_rating": "high",
        "card_training_summary": "Twelve months of card transactions labelled by the fraud team.",
        "card_evaluation_summary": "Holdout of the latest month; AUC, F1 and log loss at the review threshold.",
    },
    "credit-scoring": {
        "card_intended_use": "Probability of default for consumer loan applications, as one input of the "
        "underwriter's decision.",
        "card_out_of_scope_uses": "Mortgages, business loans, automated declines.",
        "card_intended_users": "Underwriters and the model risk committee.",
        "card_factors": "Age, income, bureau credit score and delinquencies, loan-to-income ratio.",
        "card_ethical_considerations": "Gender is an input of versions 1 and 2; version 3 removes it after the "
        "fairness review. Age is a protected attribute: its use is justified in the committee minutes.",
        "card_caveats": "Not validated for applicants without a bureau file.",
        "card_risk_rating": "high",
        "card_training_summary": "Loan applications 2019–2023 with their 12-month default outcome.",
        "card_evaluation_summary": "Out-of-time sample of 2024 Q2 applications.",
    },
    "demand-forecast": {
        "card_intended_use": "Daily units per store and product, 28 days ahead, for replenishment.",
        "card_out_of_scope_uses": "New products without sales history; promotions longer than two weeks.",
        "card_intended_users": "Store replenishment planners.",
        "card_factors": "Recent sales, promotions, weather and holidays, region.",
        "card_ethical_considerations": "No personal data is used.",
        "card_caveats": "Error doubles in the week around public holidays.",
        "card_risk_rating": "low",
        "card_training_summary": "Three years of order lines with promotions, weather and the holiday calendar.",
        "card_evaluation_summary": "Rolling 28-day backtests over the last six months.",
    },
    "product-recommendations": {
        "card_intended_use": "Ten products for the home page and e-mails.",
        "card_out_of_scope_uses": "Pricing; recommendations to signed-out visitors.",
        "card_intended_users": "The web shop and the CRM e-mail tool.",
        "card_factors": "Product views, category and price.",
        "card_ethical_considerations": "Views are personal data; customers who opt out of tracking get the "
        "bestseller list instead.",
        "card_caveats": "Cold start: customers with fewer than five views get popular items.",
        "card_risk_rating": "low",
        "card_training_summary": "Ninety days of product views.",
        "card_evaluation_summary": "Clicks of the following week: precision, recall and NDCG at 10.",
    },
    "customer-lifetime-value": {
        "card_intended_use": "Expected 12-month margin per customer, for budget planning.",
        "card_intended_users": "Finance and marketing analysts.",
    },
    "employee-attrition": {
        "card_intended_use": "Team-level attrition risk for HR business partners' planning.",
        "card_out_of_scope_uses": "Any decision about an individual employee: promotion, pay, dismissal.",
        "card_intended_users": "HR business partners only.",
        "card_factors": "Gender, age, salary, department and tenure.",
        "card_ethical_considerations": "Uses gender, age and salary (all sensitive). Reports are shown per team "
        "of at least ten people, never per person.",
        "card_risk_rating": "high",
        "card_training_summary": "Employee master data of the last five years.",
    },
}
