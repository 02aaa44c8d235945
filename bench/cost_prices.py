"""AWS list prices the cost bench multiplies its counts by: us-east-1, on-demand, no free tier, in US$.

As the services' public pricing pages list them (2025; DynamoDB's after its on-demand cut of 2024-11-01, checked
against stored copies of the page on 2026-12-02: this machine has no internet to read them live). Change them
here, with the date, when a page changes:

- Lambda, https://aws.amazon.com/lambda/pricing/ : arm64 US$ 0.0000133334 per GB-second (first 7.5 billion
  GB-s a month), US$ 0.20 per million requests.
- API Gateway HTTP API, https://aws.amazon.com/api-gateway/pricing/ : US$ 1.00 per million requests (first 300
  million), each 512 KB of a request or response counted as one.
- SQS, https://aws.amazon.com/sqs/pricing/ : standard queue US$ 0.40 per million requests; a batch of up to 10
  messages is one request; each 64 KB chunk of a payload is one request.
- EventBridge, https://aws.amazon.com/eventbridge/pricing/ : custom events US$ 1.00 per million (each 64 KB
  chunk of an event is one); delivery to targets is not charged by EventBridge (the SQS target's SendMessage is an
  SQS request). Scheduler: US$ 1.00 per million invocations (14 million free a month, not counted here).
- DynamoDB on-demand, https://aws.amazon.com/dynamodb/pricing/on-demand/ : US$ 0.625 per million write request
  units, US$ 0.125 per million read request units (standard table class).
- S3 Standard, https://aws.amazon.com/s3/pricing/ : US$ 0.005 per 1,000 PUT/COPY/POST/LIST, US$ 0.0004 per 1,000
  GET and the rest.
- CloudFront, https://aws.amazon.com/cloudfront/pricing/ : US$ 0.0100 per 10,000 HTTPS requests (United States,
  also the price class's floor; South America's is US$ 0.0220); data transfer out to the internet US$ 0.085 per
  GB in the United States, US$ 0.110 in South America (first 10 TB a month); from an AWS origin (API Gateway, S3)
  to CloudFront free.
- Data transfer out of us-east-1 to the internet (API Gateway and S3 answering browsers directly, without the
  CDN), https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer : US$ 0.09 per GB (first 10 TB a month).
"""

LAMBDA_GB_SECOND = 0.0000133334
LAMBDA_REQUEST = 0.20 / 1e6
HTTP_API_REQUEST = 1.00 / 1e6
SQS_REQUEST = 0.40 / 1e6
EVENTBRIDGE_EVENT = 1.00 / 1e6
SCHEDULER_INVOCATION = 1.00 / 1e6
DYNAMODB_WRITE_UNIT = 0.625 / 1e6
DYNAMODB_READ_UNIT = 0.125 / 1e6
S3_WRITE_REQUEST = 0.005 / 1000
S3_READ_REQUEST = 0.0004 / 1000
# South America (São Paulo edge locations serve Brazilian shoppers): the dearer of the two, on purpose.
CLOUDFRONT_REQUEST = 0.0220 / 10_000
CLOUDFRONT_TRANSFER_GB = 0.110
DATA_TRANSFER_OUT_GB = 0.09

# Lambda gives a function CPU in proportion to its memory: one full vCPU at 1,769 MB
# (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
LAMBDA_FULL_VCPU_MB = 1769
# What one request to an AWS service costs a function in waiting, inside a region: DynamoDB answers in single-digit
# milliseconds, SQS and EventBridge in about ten. Assumptions, not measurements: the local emulator is not AWS.
AWS_REQUEST_WAIT_MS = {"dynamodb": 5.0, "sqs": 10.0, "events": 15.0, "s3": 15.0, "ssm": 10.0, "scheduler": 15.0}
# An outbound HTTPS call leaving the region (pagar.me, the merchant's webhook endpoint): an assumption as well.
EXTERNAL_CALL_WAIT_MS = 250.0
