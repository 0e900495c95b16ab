"""Reads for the backlog, one module per question they answer:

- listing: which problems, in what order (the ranked backlog, the safety lane, my problems, CSV);
- keyset: the API's backlog pages, one SQL query each;
- problem: everything about one problem (the API's detail, the problem page);
- outcomes: what delivery changed (outcome answers, realized against estimated hours);
- network: where each problem hurts (sites × problems);
- duplicates: which open problems are likely the same (one problem's, and the queue's pairs).
"""
