"""Product images in the images bucket, handed to browsers as short-lived signed URLs (the bucket is private)."""

from vitrine import aws
from vitrine.settings import get_settings

URL_LIFETIME_SECONDS = 6 * 3600


def image_url(key: str) -> str:
    bucket = get_settings().require("images_bucket")
    return aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=URL_LIFETIME_SECONDS
    )


def put_image(key: str, data: bytes, content_type: str) -> None:
    bucket = get_settings().require("images_bucket")
    with aws.dependency_errors("S3"):
        aws.client("s3").put_object(
            Bucket=bucket, Key=key, Body=data, ContentType=content_type, CacheControl="public, max-age=604800"
        )
